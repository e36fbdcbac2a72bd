"""The ``privrec`` command. Subcommands import their package lazily, so a server-only install
never imports torch or Kivy."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
