//! A response body sent while it is still being written. The public list's JSON and CSV are
//! whole (every vendor, no paging), tens of megabytes for a large organisation: the first
//! request after a change gets them chunk by chunk as they are rendered, and so does every
//! request that asks meanwhile (each from the first byte), rather than waiting for the end. Once
//! written, the body is kept whole like any other rendering. A body that ends before
//! [`STREAM_AFTER`] bytes is never streamed: it is kept whole at once, with its ETag.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use actix_web::web::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use tokio::sync::{oneshot, watch};

use super::error::AppError;
use super::representation::Rendered;

/// Bytes held before a body is streamed: a list this small is sent whole.
pub const STREAM_AFTER: usize = 256 * 1024;

/// The size of each chunk pushed to the readers after the first.
const CHUNK: usize = 256 * 1024;

/// What a rendering turned out to be once its first bytes were written.
pub enum Body {
    /// It ended before [`STREAM_AFTER`] bytes: kept and sent whole.
    Whole(Arc<Rendered>),
    /// It goes on being written.
    Unfolding(Arc<Unfolding>),
}

/// A body being written on one thread and read by any number of requests.
pub struct Unfolding {
    pub content_type: &'static str,
    pub last_modified: SystemTime,
    written: Mutex<Written>,
    /// Bumped after each chunk and at the end, for the readers waiting.
    progress: watch::Sender<()>,
}

#[derive(Default)]
struct Written {
    chunks: Vec<Bytes>,
    end: Option<End>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Complete,
    Failed,
}

impl Unfolding {
    fn new(content_type: &'static str, last_modified: SystemTime) -> Self {
        Unfolding {
            content_type,
            last_modified,
            written: Mutex::default(),
            progress: watch::Sender::new(()),
        }
    }

    fn written(&self) -> MutexGuard<'_, Written> {
        // A reader or writer that panicked holding the lock left whole chunks behind.
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, chunk: Vec<u8>) {
        if !chunk.is_empty() {
            self.written().chunks.push(chunk.into());
            self.progress.send_replace(());
        }
    }

    fn end(&self, end: End) {
        let mut written = self.written();
        if written.end.is_none() {
            written.end = Some(end);
            drop(written);
            self.progress.send_replace(());
        }
    }

    /// The chunk at `at`, `Ok(None)` at the complete end, `Err` if the writing failed, and
    /// `Pending` when it is still to be written.
    fn chunk(&self, at: usize) -> Next {
        let written = self.written();
        match (written.chunks.get(at), written.end) {
            (Some(chunk), _) => Next::Chunk(chunk.clone()),
            (None, Some(End::Complete)) => Next::End,
            (None, Some(End::Failed)) => Next::Failed,
            (None, None) => Next::Pending,
        }
    }

    /// The body from its first byte, as it is written. It ends in an error if the writing
    /// fails, so that the client sees a cut-off response (no final chunk) and not a short list.
    pub fn body(self: Arc<Self>) -> impl Stream<Item = Result<Bytes, io::Error>> + 'static {
        let progress = self.progress.subscribe();
        futures_util::stream::unfold(
            (self, progress, Some(0)),
            |(unfolding, mut progress, at)| async move {
                let at = at?;
                loop {
                    // Seen before looking, so that a chunk pushed after the look wakes us.
                    progress.borrow_and_update();
                    match unfolding.chunk(at) {
                        Next::Chunk(chunk) => {
                            return Some((Ok(chunk), (unfolding, progress, Some(at + 1))));
                        }
                        Next::End => return None,
                        Next::Failed => {
                            let error =
                                io::Error::other("the list could not be written to its end");
                            return Some((Err(error), (unfolding, progress, None)));
                        }
                        // The sender lives as long as `unfolding`, which this holds.
                        Next::Pending => progress.changed().await.ok()?,
                    }
                }
            },
        )
    }

    /// The whole body once written (`None` if the writing failed), for a client that cannot
    /// take it in chunks (HTTP/1.0).
    pub async fn when_written(self: Arc<Self>) -> Option<Bytes> {
        let mut whole = BytesMut::new();
        let mut chunks = std::pin::pin!(self.body());
        while let Some(chunk) = chunks.next().await {
            whole.extend_from_slice(&chunk.ok()?);
        }
        Some(whole.freeze())
    }

    /// The whole body, once written to its end.
    fn whole(&self) -> Option<Bytes> {
        // The chunks are shared, not copied, under the lock: readers take it on the server's
        // threads, so the copy into one body is made outside it.
        let chunks = {
            let written = self.written();
            if written.end != Some(End::Complete) {
                return None;
            }
            written.chunks.clone()
        };
        let mut whole = BytesMut::with_capacity(chunks.iter().map(Bytes::len).sum());
        for chunk in &chunks {
            whole.extend_from_slice(chunk);
        }
        Some(whole.freeze())
    }
}

enum Next {
    Chunk(Bytes),
    End,
    Failed,
    Pending,
}

/// Where a rendering writes. [`Writer::start`] comes first, with what the response's headers
/// need; the bytes are held until they pass [`STREAM_AFTER`], then handed to the requests
/// waiting, and pushed to them in chunks from then on.
pub struct Writer {
    head: Option<(&'static str, SystemTime)>,
    held: Vec<u8>,
    opened: Option<oneshot::Sender<Result<Body, AppError>>>,
    unfolding: Option<Arc<Unfolding>>,
}

/// How a rendering on a [`Writer`] ended: the streamed body, and its whole rendering when it
/// was written to its end.
pub struct Streamed {
    pub unfolding: Arc<Unfolding>,
    pub whole: Option<Rendered>,
}

impl Writer {
    /// A writer that tells `opened` what the rendering turned out to be: an error before any
    /// byte, the whole rendering, or the body unfolding.
    pub fn new(opened: oneshot::Sender<Result<Body, AppError>>) -> Self {
        Writer {
            head: None,
            held: Vec::new(),
            opened: Some(opened),
            unfolding: None,
        }
    }

    /// Sets the response's type and date, and gives where to write its body.
    pub fn start(&mut self, content_type: &'static str, last_modified: SystemTime) -> &mut Self {
        self.head = Some((content_type, last_modified));
        self
    }

    /// Ends the rendering with its result: whoever waits for the opening learns of it, and
    /// the readers of a body already unfolding get its end (complete or failed).
    pub fn finish(mut self, result: Result<(), AppError>) -> Option<Streamed> {
        let (opened, unfolding) = (self.opened.take(), self.unfolding.take());
        match (result, unfolding) {
            (Ok(()), Some(unfolding)) => {
                unfolding.push(std::mem::take(&mut self.held));
                unfolding.end(End::Complete);
                let whole = unfolding.whole().map(|body| {
                    Rendered::new(body, unfolding.content_type, unfolding.last_modified)
                });
                Some(Streamed { unfolding, whole })
            }
            (Err(e), Some(unfolding)) => {
                tracing::error!("a streamed list stopped part way: {e}");
                unfolding.end(End::Failed);
                Some(Streamed {
                    unfolding,
                    whole: None,
                })
            }
            (result, None) => {
                let opening = result.and_then(|()| {
                    let (content_type, last_modified) = self
                        .head
                        .ok_or_else(|| AppError::internal("a rendering that never started"))?;
                    let whole =
                        Rendered::new(std::mem::take(&mut self.held), content_type, last_modified);
                    whole.compress_if_small();
                    Ok(Body::Whole(Arc::new(whole)))
                });
                if let Some(opened) = opened {
                    // Nobody waits any more: the request went away.
                    let _ = opened.send(opening);
                }
                None
            }
        }
    }

    /// Hands the body to the requests waiting once it is too long to hold.
    fn open(&mut self) -> io::Result<()> {
        let (content_type, last_modified) = self
            .head
            .ok_or_else(|| io::Error::other("written to before it started"))?;
        let unfolding = Arc::new(Unfolding::new(content_type, last_modified));
        if let Some(opened) = self.opened.take() {
            let _ = opened.send(Ok(Body::Unfolding(unfolding.clone())));
        }
        self.unfolding = Some(unfolding);
        Ok(())
    }
}

impl io::Write for Writer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.held.extend_from_slice(bytes);
        if self.unfolding.is_none() && self.held.len() >= STREAM_AFTER {
            self.open()?;
        }
        if let Some(unfolding) = &self.unfolding
            && self.held.len() >= CHUNK
        {
            let chunk = std::mem::replace(&mut self.held, Vec::with_capacity(CHUNK + 8 * 1024));
            unfolding.push(chunk);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Writer {
    /// A rendering that panicked part way must not leave its readers waiting.
    fn drop(&mut self) {
        if let Some(unfolding) = &self.unfolding {
            unfolding.end(End::Failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use futures_util::StreamExt;

    use super::*;

    const TYPE: &str = "text/csv";

    async fn read(unfolding: Arc<Unfolding>) -> Result<Vec<u8>, io::Error> {
        let mut body = Vec::new();
        let mut stream = std::pin::pin!(unfolding.body());
        while let Some(chunk) = stream.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body)
    }

    fn line(i: usize) -> String {
        format!("row {i:08},some text to make the row longer than a few bytes\r\n")
    }

    #[actix_web::test]
    async fn a_short_body_is_kept_whole_with_its_tag() {
        let (tx, rx) = oneshot::channel();
        let mut writer = Writer::new(tx);
        writer
            .start(TYPE, SystemTime::UNIX_EPOCH)
            .write_all(b"a,b\r\n")
            .unwrap();
        assert!(writer.finish(Ok(())).is_none());
        match rx.await.unwrap() {
            Ok(Body::Whole(r)) => {
                assert_eq!(&r.body[..], b"a,b\r\n");
                assert!(!r.etag.is_empty());
            }
            _ => panic!("a short body is whole"),
        }
    }

    #[actix_web::test]
    async fn an_error_before_any_byte_reaches_the_request() {
        let (tx, rx) = oneshot::channel();
        let writer = Writer::new(tx);
        let refused = AppError::BadParameter {
            name: "flagged".into(),
            problem: "not published".into(),
        };
        assert!(writer.finish(Err(refused)).is_none());
        assert!(matches!(
            rx.await.unwrap(),
            Err(AppError::BadParameter { .. })
        ));
    }

    #[actix_web::test]
    async fn readers_from_before_during_and_after_the_writing_read_every_byte() {
        let (tx, rx) = oneshot::channel();
        let rows = 20_000;
        let expected: String = (0..rows).map(line).collect();
        assert!(expected.len() > 4 * STREAM_AFTER);
        let (go_on_tx, go_on_rx) = std::sync::mpsc::channel::<()>();
        let writing = std::thread::spawn(move || {
            let mut writer = Writer::new(tx);
            writer.start(TYPE, SystemTime::UNIX_EPOCH);
            for i in 0..rows {
                writer.write_all(line(i).as_bytes()).unwrap();
                if i == rows / 2 {
                    // Half written: wait until a reader has joined.
                    go_on_rx.recv().unwrap();
                }
            }
            writer.finish(Ok(()))
        });
        let Ok(Body::Unfolding(unfolding)) = rx.await.unwrap() else {
            panic!("a long body unfolds");
        };
        // One reader has its first chunk while the writing waits half way; others join later.
        let mut early = Box::pin(unfolding.clone().body());
        let mut body = early.next().await.unwrap().unwrap().to_vec();
        let middle = actix_web::rt::spawn(read(unfolding.clone()));
        go_on_tx.send(()).unwrap();
        while let Some(chunk) = early.next().await {
            body.extend_from_slice(&chunk.unwrap());
        }
        let streamed = writing.join().unwrap().expect("it streamed");
        let late = read(unfolding.clone()).await.unwrap();
        for body in [body, middle.await.unwrap().unwrap(), late] {
            assert_eq!(body.len(), expected.len());
            assert!(body == expected.as_bytes());
        }
        assert_eq!(
            unfolding.clone().when_written().await.unwrap(),
            expected.as_bytes()
        );
        let whole = streamed.whole.expect("written to its end");
        assert_eq!(&whole.body[..], expected.as_bytes());
        assert_eq!(whole.content_type, TYPE);
    }

    #[actix_web::test]
    async fn a_failure_or_a_panic_part_way_ends_the_body_in_an_error() {
        for panics in [false, true] {
            let (tx, rx) = oneshot::channel();
            let writing = std::thread::spawn(move || {
                let mut writer = Writer::new(tx);
                writer.start(TYPE, SystemTime::UNIX_EPOCH);
                for i in 0..10_000 {
                    writer.write_all(line(i).as_bytes()).unwrap();
                }
                if panics {
                    panic!("rendering panicked (expected by the test)");
                }
                writer.finish(Err(AppError::internal("stopped")))
            });
            let Ok(Body::Unfolding(unfolding)) = rx.await.unwrap() else {
                panic!("a long body unfolds");
            };
            let reading = read(unfolding.clone()).await;
            assert!(reading.is_err(), "panics: {panics}");
            assert!(unfolding.clone().when_written().await.is_none());
            match writing.join() {
                Ok(streamed) => assert!(streamed.unwrap().whole.is_none()),
                Err(_) => assert!(panics),
            }
        }
    }
}
