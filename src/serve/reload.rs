//! Live reload over server-sent events on the same port as the pages, and the error
//! overlay. The script is added to pages as they are served, never to built files.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// The path, below the base path, of the event stream.
pub const EVENTS_PATH: &str = "__lectern/events";

/// What the pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A new build is ready: reload.
    Reload(u64),
    /// The last build failed: show this message.
    BuildError(String),
}

impl Notice {
    fn to_event(&self) -> String {
        match self {
            Notice::Reload(id) => format!("event: reload\ndata: {id}\n\n"),
            Notice::BuildError(message) => {
                format!(
                    "event: build-error\ndata: {}\n\n",
                    serde_json::Value::String(message.clone())
                )
            }
        }
    }
}

/// The open event streams, one channel each.
#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<Sender<Notice>>>,
}

impl Broadcaster {
    /// Tells every open page; forgets pages that have gone.
    pub fn send(&self, notice: &Notice) {
        let mut clients = self
            .clients
            .lock()
            .expect("no panics while holding the lock");
        clients.retain(|client| client.send(notice.clone()).is_ok());
    }

    /// The number of pages listening.
    pub fn client_count(&self) -> usize {
        self.clients
            .lock()
            .expect("no panics while holding the lock")
            .len()
    }

    fn subscribe(&self) -> Receiver<Notice> {
        let (tx, rx) = mpsc::channel();
        self.clients
            .lock()
            .expect("no panics while holding the lock")
            .push(tx);
        rx
    }

    /// Streams notices to one page until it goes away. `hello` is sent first so a page
    /// that reconnects learns whether it missed a build.
    pub fn stream(&self, mut socket: Box<dyn Write + Send>, hello: Notice) {
        let rx = self.subscribe();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
        let hello = match hello {
            Notice::Reload(id) => format!("event: hello\ndata: {id}\n\n"),
            error => error.to_event(),
        };
        if socket
            .write_all(head.as_bytes())
            .and_then(|()| socket.write_all(hello.as_bytes()))
            .and_then(|()| socket.flush())
            .is_err()
        {
            return;
        }
        loop {
            // A comment line every few seconds finds closed connections.
            let text = match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(notice) => notice.to_event(),
                Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if socket
                .write_all(text.as_bytes())
                .and_then(|()| socket.flush())
                .is_err()
            {
                return;
            }
        }
    }
}

/// The script added before `</body>` of every page served: reloads on a new build, shows
/// build errors in an overlay.
pub fn client_script(base_path: &str, build_id: u64) -> String {
    format!(
        r#"<script>
(function () {{
  var seen = {build_id};
  var source = new EventSource("{base_path}{EVENTS_PATH}");
  source.addEventListener("hello", function (e) {{ if (Number(e.data) !== seen) location.reload(); }});
  source.addEventListener("reload", function () {{ location.reload(); }});
  source.addEventListener("build-error", function (e) {{
    var box = document.getElementById("lectern-error-overlay") || document.createElement("div");
    box.id = "lectern-error-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.95);color:#ffd7d7;padding:2rem;font:14px/1.5 ui-monospace,monospace";
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = JSON.parse(e.data);
    box.replaceChildren(pre);
    document.body.appendChild(box);
  }});
}})();
</script>
"#
    )
}

/// The overlay, rendered into the page when the last build failed.
pub fn overlay(message: &str) -> String {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<div id=\"lectern-error-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.95);color:#ffd7d7;padding:2rem;font:14px/1.5 ui-monospace,monospace\"><pre style=\"white-space:pre-wrap\">{escaped}</pre></div>\n"
    )
}

/// Adds `extra` just before `</body>` (or at the end when there is none).
pub fn inject(html: &str, extra: &str) -> String {
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_closing_body_tag() {
        assert_eq!(
            inject("<body><p>x</p></body></html>", "<s>"),
            "<body><p>x</p><s></body></html>"
        );
        assert_eq!(inject("<p>x</p>", "<s>"), "<p>x</p><s>");
    }

    #[test]
    fn build_errors_are_sent_as_json_strings() {
        let event = Notice::BuildError("a\n<b>".into()).to_event();
        assert_eq!(event, "event: build-error\ndata: \"a\\n<b>\"\n\n");
    }

    #[test]
    fn overlay_escapes_the_message() {
        assert!(overlay("<script>").contains("&lt;script&gt;"));
    }
}
