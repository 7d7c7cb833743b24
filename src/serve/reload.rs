//! Live reload over server-sent events on the same port as the pages, and the error
//! overlay. The script is added to pages as they are served, never to built files.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame};
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

/// The path, below the base path, of the event stream.
pub(crate) const EVENTS_PATH: &str = "__lectern/events";

/// What the pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
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
pub(crate) struct Broadcaster {
    clients: Mutex<Vec<UnboundedSender<Notice>>>,
}

impl Broadcaster {
    /// The list of streams; a panic elsewhere while it was held leaves it usable.
    fn clients(&self) -> MutexGuard<'_, Vec<UnboundedSender<Notice>>> {
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells every open page; forgets pages that have gone.
    pub fn send(&self, notice: &Notice) {
        self.clients()
            .retain(|client| client.send(notice.clone()).is_ok());
    }

    /// The number of pages listening.
    pub fn client_count(&self) -> usize {
        self.clients()
            .iter()
            .filter(|client| !client.is_closed())
            .count()
    }

    /// A new event stream for one page, until it goes away. `hello` is sent first so a
    /// page that reconnects learns whether it missed a build.
    pub fn stream(&self, hello: Notice) -> EventStream {
        let (tx, rx) = mpsc::unbounded_channel();
        self.clients().push(tx);
        let hello = match hello {
            Notice::Reload(id) => format!("event: hello\ndata: {id}\n\n"),
            error => error.to_event(),
        };
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING, PING);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        EventStream {
            hello: Some(Bytes::from(hello)),
            rx,
            ping,
        }
    }
}

/// How often a comment line is sent: writing it is how a closed connection is found.
const PING: Duration = Duration::from_secs(10);

/// The body of one page's event stream: the hello, then every notice, with pings.
pub(crate) struct EventStream {
    hello: Option<Bytes>,
    rx: UnboundedReceiver<Notice>,
    ping: tokio::time::Interval,
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(hello) = self.hello.take() {
            return Poll::Ready(Some(Ok(Frame::data(hello))));
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(notice)) => {
                return Poll::Ready(Some(Ok(Frame::data(Bytes::from(notice.to_event())))))
            }
            // The server is stopping.
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        match self.ping.poll_tick(cx) {
            Poll::Ready(_) => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b": ping\n\n"))))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The script added before `</body>` of every page served: reloads on a new build, shows
/// build errors in an overlay.
pub(crate) fn client_script(base_path: &str, build_id: u64) -> String {
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
pub(crate) fn overlay(message: &str) -> String {
    let escaped = crate::escape::html(message);
    format!(
        "<div id=\"lectern-error-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.95);color:#ffd7d7;padding:2rem;font:14px/1.5 ui-monospace,monospace\"><pre style=\"white-space:pre-wrap\">{escaped}</pre></div>\n"
    )
}

/// Adds `extra` just before `</body>` (or at the end when there is none).
pub(crate) fn inject(html: &str, extra: &str) -> String {
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
