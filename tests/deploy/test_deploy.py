"""deploy/: the systemd unit, the alert rules, the Grafana dashboard, the compose file and the image recipe.

The rules and the dashboard are checked against what the bot really exports (a scrape of a running bot),
so renaming a metric breaks this test and not, silently, someone's alerts. systemd-analyze and promtool
are Debian's (systemd, prometheus); without them those tests are skipped with the reason, except where
REQUIRE_DEPLOY_TOOLS=1 (.ci/run sets it): there a missing tool fails. The image itself is built and the
compose stack started by .ci/containers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.harness import BotHarness

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNIT = DEPLOY / "bydelsmor.service"
RULES = DEPLOY / "prometheus" / "alerts.yaml"
GRAFANA = DEPLOY / "grafana" / "bydelsmor-dashboard.json"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
METRIC = re.compile(r"\b(?:bydelsmor|process)_[a-z0-9_]+\b")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def needs(tool: str, package: str) -> None:
    if shutil.which(tool) is not None:
        return
    missing = f"{tool} is not installed (Debian: apt-get install {package})"
    if os.environ.get("REQUIRE_DEPLOY_TOOLS") == "1":
        pytest.fail(f"this check must run here: {missing}")
    pytest.skip(missing)


async def exported_names(bot: BotHarness) -> set[str]:
    """Every series name the bot's /metrics page can hold (a labelled counter is named before it counts)."""
    page = await bot.services.metrics.scrape(bot.services.db, now=bot.services.clock())
    return {
        family.name + suffix
        for family in text_string_to_metric_families(page.decode())
        for suffix in SUFFIXES.get(family.type, ("",))
    }


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def grafana_expressions() -> list[str]:
    dashboard = json.loads(GRAFANA.read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


async def test_the_alert_rules_and_the_dashboard_name_only_metrics_the_bot_exports(bot: BotHarness) -> None:
    exported = await exported_names(bot)
    assert {"bydelsmor_outbox_oldest_pending_age_seconds", "bydelsmor_errors_total"} <= exported

    found = rules()
    assert [rule["alert"] for rule in found] == [
        "BydelsmorOutboxStuck",
        "BydelsmorWomanWaitingTooLong",
        "BydelsmorErrors",
    ]
    for rule in found:
        named = set(METRIC.findall(rule["expr"]))
        assert named, rule["alert"]
        assert named <= exported, (rule["alert"], named - exported)
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        for word in METRIC.findall(rule["annotations"]["description"]):
            assert word in exported, (rule["alert"], word)

    expressions = grafana_expressions()
    assert len(expressions) >= 12
    for expression in expressions:
        named = set(METRIC.findall(expression))
        assert named, expression
        assert named <= exported, (expression, named - exported)
    # Every gauge about the database has a panel.
    shown = {name for expression in expressions for name in METRIC.findall(expression)}
    gauges = {name for name in exported if name.startswith("bydelsmor_") and not name.endswith("_total")}
    missing = {name for name in gauges - shown if not name.endswith(("_bucket", "_sum", "_count"))}
    assert not missing


@pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool is not installed (apt-get install prometheus)"
)
def test_promtool_accepts_the_rules_and_each_alert_fires_at_its_threshold() -> None:
    for command in (
        ["promtool", "check", "rules", "alerts.yaml"],
        ["promtool", "check", "config", "prometheus.yml"],
        ["promtool", "test", "rules", "alerts_test.yaml"],
    ):
        done = subprocess.run(command, cwd=RULES.parent, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def _unit_for_this_machine(tmp_path: Path) -> Path:
    """The unit as it is, but with this checkout's python and folder: verify checks that ExecStart exists."""
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/bydelsmor/venv/bin/python -m bot run" in text
    text = text.replace("/opt/bydelsmor/venv/bin/python", sys.executable)
    text = text.replace("WorkingDirectory=/opt/bydelsmor/app", f"WorkingDirectory={UNIT.parents[1]}")
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    return copy


def test_the_systemd_unit_is_valid_and_hardened(tmp_path: Path) -> None:
    needs("systemd-analyze", "systemd")
    unit = _unit_for_this_machine(tmp_path)
    verified = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    # verify exits 0 after an unknown key or a bad value, and only says so: any word about our unit fails.
    about_ours = [line for line in (verified.stdout + verified.stderr).splitlines() if UNIT.name in line]
    assert verified.returncode == 0 and not about_ours, verified.stdout + verified.stderr

    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--threshold=20", str(unit)],
        capture_output=True,
        text=True,
        check=False,
    )
    exposure = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
    assert security.returncode == 0 and exposure is not None, security.stdout[-600:] + security.stderr
    assert float(exposure[1]) <= 2.0

    settings = UNIT.read_text(encoding="utf-8")
    for line in (
        "User=bydelsmor",
        "Restart=on-failure",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "ReadWritePaths=/var/lib/bydelsmor",
        "EnvironmentFile=/etc/bydelsmor/bydelsmor.env",
    ):
        assert re.search(rf"^{re.escape(line)}$", settings, re.MULTILINE), line


def test_the_compose_file_keeps_secrets_out_and_the_dashboard_on_this_computer() -> None:
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    bot, postgres = compose["services"]["bot"], compose["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]  # a named volume, not a folder that a `down` could lose
    assert "healthcheck" in postgres and "healthcheck" in bot
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert bot["env_file"] == ".env"
    assert bot["ports"] and all(port.startswith("127.0.0.1:") for port in bot["ports"])
    assert "ports" not in postgres
    environment = " ".join(f"{key}={value}" for key, value in bot["environment"].items())
    assert "BOT_TOKEN" not in environment and "DATA_KEY" not in environment
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    for setting in ("BOT_TOKEN=", "DATA_KEY=", "POSTGRES_PASSWORD="):
        assert re.search(rf"^{setting}$", example, re.MULTILINE), setting  # there, and empty


def test_the_image_is_built_from_the_lock_in_two_stages_and_runs_as_a_plain_user() -> None:
    recipe = DOCKERFILE.read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", recipe, re.MULTILINE)) == 2
    assert re.search(r"^FROM \S+ AS build$", recipe, re.MULTILINE)
    final = recipe[recipe.rindex("\nFROM ") :]
    assert re.search(r"^USER bydelsmor$", final, re.MULTILINE)
    assert "--require-hashes -r /app/requirements/main.txt" in recipe
    assert "requirements/dev.txt" not in recipe
    assert "bot.catalogs compile" in recipe
    assert re.search(r'^CMD \["python", "-m", "bot", "run"\]$', final, re.MULTILINE)
