//! The local stand-in for WeChat 公众号 and Tencent Cloud SMS that the test scripts start once per
//! suite (see `integration::standin` for what it checks and `/__standin/` for the tests' side).
//!
//! `STANDIN_PORT=9100 STANDIN_WECHAT_APP_ID=… cargo run -p integration --bin standin`

use std::process::ExitCode;

use integration::standin::{serve, Config};

fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(missing) => {
            eprintln!("standin: {missing}");
            return ExitCode::from(2);
        }
    };
    let port = match std::env::var("STANDIN_PORT") {
        Err(_) => 0,
        Ok(port) => match port.trim().parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("standin: STANDIN_PORT is not a port: {port:?}");
                return ExitCode::from(2);
            }
        },
    };
    match serve(config, port) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("standin: cannot listen on 127.0.0.1:{port}: {e}");
            ExitCode::FAILURE
        }
    }
}
