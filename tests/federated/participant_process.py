"""One device of the end-to-end training test, as its own OS process: a user with their own
examples takes part in a run through the real SDK (client_app.federated_participant).

    python -m tests.federated.participant_process URL RUN_DIR SEED [--drop]

Funds its budget, writes RUN_DIR/ready-SEED, waits for RUN_DIR/go (holding the run id), takes
part in the round, and writes RUN_DIR/result-SEED.json; the unmasked encoded update it sent
goes to RUN_DIR/words-SEED.bin so the test can look for it in what the server keeps."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from client_app.federated_participant import Contribution, TrainingParticipant
from client_app.market import MarketClient
from crypto import IdentityKey
from federated.fixedpoint import Words
from federated.messages import RoundConfig
from federated.model import Example
from federated.runs import RunSpec
from tests.federated.training_run import consent_of, examples_of


class RecordingParticipant(TrainingParticipant):
    """Keeps the device's own copy of what it masks: the test's evidence, never sent."""

    evidence: Path

    def contribution(
        self, spec: RunSpec, config: RoundConfig, examples: Sequence[Example]
    ) -> Words:
        words = super().contribution(spec, config, examples)
        self.evidence.write_bytes(words.astype("<u4").tobytes())
        return words


def main(url: str, run_dir: Path, seed: int, drop: bool) -> None:
    identity = IdentityKey.generate()
    with MarketClient(url, identity) as market:
        market.register()
        market.faucet()
        market.fund_budget(100)
        (run_dir / f"ready-{seed}").write_text(identity.public_key_hex)
        go = run_dir / "go"
        while not go.exists():
            time.sleep(0.05)
        consent = consent_of(run_dir / f"device-{seed}", ["books"], limit=20.0)
        participant = RecordingParticipant(
            market, consent, examples_of(seed), rng=np.random.default_rng(seed)
        )
        (found,) = participant.open_runs(["books", "music"])  # music: not opted in
        run_id = found.training
        assert run_id == go.read_text().strip()
        participant.evidence = run_dir / f"words-{seed}.bin"
        outcome = participant.take_part(run_id, timeout=120, drop_after_sharing=drop)
        assert isinstance(outcome, Contribution), outcome
        result = {
            "account": identity.public_key_hex,
            "client": outcome.client,
            "sent_input": outcome.sent_input,
            "epsilon": consent.spent(participant.run(run_id)[0].model),
        }
        (run_dir / f"result-{seed}.json").write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), "--drop" in sys.argv[4:])
