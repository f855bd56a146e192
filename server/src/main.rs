use clap::Parser;

fn main() -> anyhow::Result<()> {
    // Before the runtime's threads exist.
    server::alloc::tune();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let cli = server::commands::Cli::parse();
            server::commands::init_tracing(cli.log_json);
            server::commands::run(cli).await
        })
}
