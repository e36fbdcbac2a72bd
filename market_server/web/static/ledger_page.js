// The ledger pages' "verify in this browser" panel: runs verify.js with the key in the panel
// (the one pinned in this browser, if any, else the one this server says it has) and lists
// each step's result. Pinning keeps the key in localStorage: it is public, and a later visit
// warns when the server's key differs from the pinned one.
import { verifyMarket } from "./verify.js";

const PIN_ITEM = "privrec.pinnedMarketKey";

function addStep(list, ok, text) {
  const item = document.createElement("li");
  item.className = ok ? "verify-ok" : "verify-bad";
  item.textContent = `${ok ? "✓" : "✗"} ${text}`;
  list.append(item);
}

function setUp(panel) {
  const input = panel.querySelector("#verify-key");
  const verdict = panel.querySelector(".verify-verdict");
  const steps = panel.querySelector(".verify-steps");
  const warning = panel.querySelector(".pin-warning");
  const served = panel.dataset.servedKey;
  const pinned = localStorage.getItem(PIN_ITEM);
  if (pinned) {
    input.value = pinned;
    if (pinned !== served) {
      warning.hidden = false;
      warning.textContent =
        "This server's key is not the one you pinned: verification uses your pinned key.";
    }
  }
  panel.querySelector(".verify-pin").addEventListener("click", () => {
    localStorage.setItem(PIN_ITEM, input.value.trim().toLowerCase());
    verdict.textContent = "Key pinned in this browser.";
  });
  const button = panel.querySelector(".verify-run");
  button.addEventListener("click", async () => {
    button.disabled = true;
    steps.replaceChildren();
    verdict.className = "verify-verdict";
    verdict.textContent = "Verifying…";
    const proofSeq = panel.dataset.proofSeq === "" ? null : Number(panel.dataset.proofSeq);
    let progress = null;
    try {
      await verifyMarket({
        keyHex: input.value,
        start: Number(panel.dataset.start),
        proofSeq,
        report(step, ok, detail) {
          if (step === "progress") {
            verdict.textContent = `Verifying… ${detail}`;
            return;
          }
          addStep(steps, ok, detail);
        },
      });
      verdict.classList.add("verify-ok");
      verdict.textContent = "Verified: the market signed all of this, under the key above.";
    } catch (error) {
      const where = error.seq === null || error.seq === undefined ? "" : ` (entry ${error.seq})`;
      addStep(steps, false, `${error.message}${where}`);
      verdict.classList.add("verify-bad");
      verdict.textContent = "NOT verified: see the failed step.";
    } finally {
      button.disabled = false;
    }
  });
}

document.querySelectorAll("section.verify").forEach(setUp);
