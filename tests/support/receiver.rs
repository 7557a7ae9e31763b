//! A webhook receiver on 127.0.0.1: keeps every request (headers and body) and answers 500 to the
//! first `failures` of them, as an endpoint that is down would, then 204.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// One request as the receiver got it.
#[derive(Debug, Clone)]
pub struct Hook {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Hook>>>,
}

struct Shared {
    got: Arc<Mutex<Vec<Hook>>>,
    failures: AtomicUsize,
}

async fn receive(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    shared.got.lock().unwrap().push(Hook {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let left = shared.failures.load(Ordering::SeqCst);
    if left > 0 {
        shared.failures.store(left - 1, Ordering::SeqCst);
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::NoContent().finish()
}

impl Receiver {
    /// Starts a receiver that fails its first `failures` requests.
    pub fn start(failures: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("its address").port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let shared = web::Data::new(Shared {
            got: got.clone(),
            failures: AtomicUsize::new(failures),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .default_service(web::to(receive))
        })
        .workers(1)
        .listen(listener)
        .expect("the receiver listens")
        .run();
        actix_web::rt::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hooks"),
            got,
        }
    }

    pub fn received(&self) -> Vec<Hook> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until `count` requests have arrived, and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Hook> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= count || start.elapsed() > Duration::from_secs(10) {
                return got;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
