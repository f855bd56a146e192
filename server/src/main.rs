use clap::Parser;

fn main() -> anyhow::Result<()> {
    // Before the runtime's threads exist.
    server::alloc::tune();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let cli = server::cli::Cli::parse();
            server::cli::init_tracing(cli.log_json);
            server::cli::run(cli).await
        })
}
