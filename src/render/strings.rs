//! The words the default theme shows around the content, in the site's language.
//! A site can change any of them with `[extra.strings]` in `site.toml`.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::language::{Language, ThemeWords};

const ZH_HANT: &[(&str, &str)] = &[
    ("skip_to_content", "跳到正文"),
    ("site_navigation", "網站導覽"),
    ("on_this_page", "本頁內容"),
    ("previous", "上一篇"),
    ("next", "下一篇"),
    ("references", "參考資料"),
    ("cited_in", "引用處"),
    ("back_to_citation", "返回引用處"),
    ("reading_time", "閱讀時間約 {n} 分鐘"),
    ("not_found_title", "找不到這個頁面"),
    (
        "not_found_text",
        "這個網址沒有頁面。可以從首頁或下面的目錄繼續閱讀。",
    ),
    ("home", "首頁"),
    ("contents", "目錄"),
    ("read_all", "全文"),
    ("theme_dark", "深色"),
    ("font_smaller", "縮小字體"),
    ("font_larger", "放大字體"),
    ("pinyin", "拼音"),
    ("menu", "導覽"),
    ("close", "關閉"),
    ("search", "搜尋"),
    ("search_label", "搜尋全文"),
    ("search_hint", "輸入兩個字以上"),
    ("no_results", "沒有找到"),
    ("results", "筆結果"),
    ("died", "逝世"),
    ("source", "來源"),
    ("reader_settings", "閱讀設定"),
    ("tools", "搜尋與設定"),
    ("edition", "版本"),
    ("colon", "："),
    ("comma", "，"),
    ("tributes_link", "悼念與追思"),
    ("tribute_original", "原文"),
    ("help_link", "需要幫助？"),
    ("help_sms", "傳簡訊"),
    ("tribute_submit", "寫下你的悼念（經 GitHub 提交）"),
    (
        "tribute_submit_file",
        "熟悉 git 的話，也可以用 pull request 加入一個檔案",
    ),
];

const ZH_HANS: &[(&str, &str)] = &[
    ("skip_to_content", "跳到正文"),
    ("site_navigation", "网站导览"),
    ("on_this_page", "本页内容"),
    ("previous", "上一篇"),
    ("next", "下一篇"),
    ("references", "参考资料"),
    ("cited_in", "引用处"),
    ("back_to_citation", "返回引用处"),
    ("reading_time", "阅读时间约 {n} 分钟"),
    ("not_found_title", "找不到这个页面"),
    (
        "not_found_text",
        "这个网址没有页面。可以从首页或下面的目录继续阅读。",
    ),
    ("home", "首页"),
    ("contents", "目录"),
    ("read_all", "全文"),
    ("theme_dark", "深色"),
    ("font_smaller", "缩小字体"),
    ("font_larger", "放大字体"),
    ("pinyin", "拼音"),
    ("menu", "导览"),
    ("close", "关闭"),
    ("search", "搜索"),
    ("search_label", "搜索全文"),
    ("search_hint", "输入两个字以上"),
    ("no_results", "没有找到"),
    ("results", "条结果"),
    ("died", "逝世"),
    ("source", "来源"),
    ("reader_settings", "阅读设置"),
    ("tools", "搜索与设置"),
    ("edition", "版本"),
    ("colon", "："),
    ("comma", "，"),
    ("tributes_link", "悼念与追思"),
    ("tribute_original", "原文"),
    ("help_link", "需要帮助？"),
    ("help_sms", "发短信"),
    ("tribute_submit", "写下你的悼念（经 GitHub 提交）"),
    (
        "tribute_submit_file",
        "熟悉 git 的话，也可以用 pull request 加入一个文件",
    ),
];

const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("site_navigation", "Site navigation"),
    ("on_this_page", "On this page"),
    ("previous", "Previous"),
    ("next", "Next"),
    ("references", "References"),
    ("cited_in", "Cited in"),
    ("back_to_citation", "Back to citation"),
    ("reading_time", "About {n} min read"),
    ("not_found_title", "Page not found"),
    (
        "not_found_text",
        "There is no page at this address. Continue from the home page or the contents below.",
    ),
    ("home", "Home"),
    ("contents", "Contents"),
    ("read_all", "Read it all"),
    ("theme_dark", "Dark"),
    ("font_smaller", "Smaller text"),
    ("font_larger", "Larger text"),
    ("pinyin", "Pinyin"),
    ("menu", "Menu"),
    ("close", "Close"),
    ("search", "Search"),
    ("search_label", "Search the site"),
    ("search_hint", "Type two or more characters"),
    ("no_results", "Nothing found"),
    ("results", "results"),
    ("died", "died"),
    ("source", "Source"),
    ("reader_settings", "Reading settings"),
    ("tools", "Search and settings"),
    ("edition", "Edition"),
    ("colon", ": "),
    ("comma", ", "),
    ("tributes_link", "Tributes and remembrances"),
    ("tribute_original", "Original"),
    ("help_link", "Need help?"),
    ("help_sms", "Send a text"),
    (
        "tribute_submit",
        "Write a tribute (submitted through GitHub)",
    ),
    (
        "tribute_submit_file",
        "Or, if you use git, add a file by pull request",
    ),
];

/// The theme's words for the site's language, with the site's own replacements.
pub fn for_site(config: &SiteConfig) -> BTreeMap<String, String> {
    let table = match Language::new(&config.language).theme_words() {
        ThemeWords::Simplified => ZH_HANS,
        ThemeWords::Traditional => ZH_HANT,
        ThemeWords::English => EN,
    };
    let mut strings: BTreeMap<String, String> = table
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(toml::Value::Table(own)) = config.extra.get("strings") {
        for (key, value) in own {
            if let Some(value) = value.as_str() {
                strings.insert(key.clone(), value.to_string());
            }
        }
    }
    strings
}
