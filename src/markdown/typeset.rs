//! Line breaking for mixed Chinese and Latin text: the runs a line must not break inside.
//!
//! Chinese text may break between any two characters, so a browser will start a line
//! with the dot of a transliterated name (`・費蘭特`) or split a date (`12 月 5` / `日`).
//! Such runs are kept on one line with `<span class="nobr">` (`white-space: nowrap` in
//! the theme). Only the HTML changes: the text, its search index and its reading time
//! are the same.

use std::sync::LazyLock;

use regex::Regex;

/// A date written with 年/月/日 (with or without spaces around the numbers), or a name
/// whose parts are joined by a middle dot, with the characters on both sides of each dot.
static UNBREAKABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:\d{1,4}\ ?年\ ?)?\d{1,2}\ ?月\ ?\d{1,2}\ ?[日號号]   # (2024 年) 12 月 5 日
        | \d{1,4}\ ?年(?:\ ?\d{1,2}\ ?月)?                    # 2024 年 (12 月)
        | [^\s·・•‧](?:[·・•‧][^\s·・•‧])+                   # 斯·希, A·B·C
        ",
    )
    .expect("a valid pattern")
});

/// One piece of a text: to be written as it is, or kept on one line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    /// Text that may break anywhere the language allows.
    Free(&'t str),
    /// Text that must stay on one line.
    Unbroken(&'t str),
}

/// `text` in pieces, in order; all of it, nothing added.
pub(crate) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for run in UNBREAKABLE.find_iter(text) {
        if run.start() > at {
            pieces.push(Piece::Free(&text[at..run.start()]));
        }
        pieces.push(Piece::Unbroken(run.as_str()));
        at = run.end();
    }
    if at < text.len() || pieces.is_empty() {
        pieces.push(Piece::Free(&text[at..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unbroken(text: &str) -> Vec<&str> {
        pieces(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Unbroken(s) => Some(s),
                Piece::Free(_) => None,
            })
            .collect()
    }

    #[test]
    fn dates_and_dotted_names_stay_whole_and_nothing_is_lost() {
        let text = "菲利克斯·希爾在 2024 年 12 月 5 日去世；2023年4月，埃萊娜・費蘭特說。";
        assert_eq!(
            unbroken(text),
            ["斯·希", "2024 年 12 月 5 日", "2023年4月", "娜・費"]
        );
        let joined: String = pieces(text)
            .iter()
            .map(|p| match p {
                Piece::Free(s) | Piece::Unbroken(s) => *s,
            })
            .collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn plain_text_is_one_free_piece() {
        assert_eq!(pieces("沒有日期。"), [Piece::Free("沒有日期。")]);
        assert_eq!(pieces(""), [Piece::Free("")]);
        assert_eq!(unbroken("A · B, 12 月"), Vec::<&str>::new());
    }
}
