//! The phone's signal, as a TCP relay between the browser and the app that
//! the test can cut. DevTools' offline emulation alone proved leaky (a CI run
//! saw queued taps reach the server after an offline reload); with the relay
//! cut, nothing reaches the app, whatever the browser does.

use std::net::SocketAddr;

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Clone)]
pub struct Gate {
    /// `http://127.0.0.1:<port>` of the relay: what the browser opens.
    pub base: String,
    cut: watch::Sender<bool>,
}

impl Gate {
    /// A relay to the app at `upstream`, open.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a relay port");
        let base = format!("http://{}", listener.local_addr().expect("relay address"));
        let (cut, _) = watch::channel(false);
        let gate = Gate { base, cut };
        let watcher = gate.cut.clone();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let mut cut = watcher.subscribe();
                if *cut.borrow() {
                    // No signal: the connection is dropped unanswered.
                    continue;
                }
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let mut inbound = inbound;
                    tokio::select! {
                        _ = copy_bidirectional(&mut inbound, &mut outbound) => {}
                        // Cut while open: kept-alive connections die too.
                        _ = cut.wait_for(|c| *c) => {}
                    }
                });
            }
        });
        gate
    }

    pub fn set_cut(&self, cut: bool) {
        self.cut.send_replace(cut);
    }
}
