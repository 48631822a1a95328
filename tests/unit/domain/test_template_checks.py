"""Template checks: shape errors, unreadable files, rules across steps, and warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from template_examples import errors_of, sample, step, write

from addon.domain.model import GO_LIVE, Role
from addon.domain.templates import TemplateError, check, load_template


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each test from tmp_path, so messages name files as `sample.yaml`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MAP_TEMPLATES_DIR", raising=False)


# --- shape errors ---------------------------------------------------------------------------------


def test_unknown_owner_names_file_field_and_allowed_values(tmp_path: Path) -> None:
    data = sample()
    data["steps"][3]["owner"] = "buyer side"

    with pytest.raises(TemplateError) as raised:
        load_template(write(tmp_path, data))

    assert str(raised.value) == (
        "sample.yaml: steps[3].owner: must be one of Buyer, Seller, Both (got 'buyer side')"
    )


def test_error_names_a_file_outside_the_working_directory_by_its_full_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample()
    data["steps"][0]["owner"] = "Vendor"
    path = write(tmp_path, data)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")

    assert check(path).errors[0].startswith(f"{path}: steps[0].owner: must be one of")


def test_unknown_field_is_an_error_that_lists_the_allowed_fields(tmp_path: Path) -> None:
    data = sample()
    data["steps"][1]["ownr"] = "Buyer"

    (error,) = errors_of(tmp_path, data)

    assert ": steps[1].ownr: unknown field (allowed: id, phase, name, owner, days," in error


def test_missing_and_mistyped_fields_are_all_reported_at_once(tmp_path: Path) -> None:
    data = sample(version="three")
    del data["steps"][0]["name"]
    data["steps"][2]["days"] = "15 days"
    data["steps"][2]["critical"] = "sometimes"

    errors = errors_of(tmp_path, data)

    assert [error.split(": ", 1)[1] for error in errors] == [
        "version: must be a whole number (got 'three')",
        "steps[0].name: is required",
        "steps[2].days: must be a whole number (got '15 days')",
        "steps[2].critical: must be true or false (got 'sometimes')",
    ]


def test_unknown_role_lists_the_model_roles(tmp_path: Path) -> None:
    data = sample()
    data["steps"][2]["roles"] = ["Legal", "CFO"]

    (error,) = errors_of(tmp_path, data)

    assert ": steps[2].roles[1]: must be one of Champion, Economic buyer," in error
    assert error.endswith("Seller legal (got 'CFO')")


def test_step_id_must_be_kebab_case(tmp_path: Path) -> None:
    data = sample()
    data["steps"][2]["id"] = "Legal Review"

    (error,) = errors_of(tmp_path, data)

    assert error == (
        "sample.yaml: steps[2].id: must be a kebab-case id like 'security-review' "
        "(got 'Legal Review')"
    )


@pytest.mark.parametrize("weeks", [[12, 8], [8], "8-12", [0, 4]])
def test_typical_weeks_must_be_a_min_max_pair(tmp_path: Path, weeks: Any) -> None:
    (error,) = errors_of(tmp_path, sample(typical_weeks=weeks))

    assert ": typical_weeks: must be [min, max] weeks, e.g. [8, 12]" in error


def test_step_longer_than_130_business_days_is_an_error(tmp_path: Path) -> None:
    data = sample()
    data["steps"][2]["days"] = 200

    assert errors_of(tmp_path, data)[0].endswith("steps[2].days: must be at most 130 (got 200)")


def test_template_without_steps_is_an_error(tmp_path: Path) -> None:
    (error,) = errors_of(tmp_path, sample(steps=[]))

    assert error.endswith(": steps: must list at least one step")


# --- unreadable files -----------------------------------------------------------------------------


def test_unparsable_yaml_reports_the_line_number(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    path.write_text("name: sample\ntitle: Sample\nsteps:\n  - id: a\n    name: [unclosed\n")

    result = check(path)

    assert result.template is None
    (error,) = result.errors
    assert error.startswith("sample.yaml: line ")
    assert ": invalid YAML: " in error
    assert "\n" not in error


def test_a_key_given_twice_is_an_error_with_both_lines(tmp_path: Path) -> None:
    text = yaml.safe_dump(sample(), sort_keys=False)
    assert text.splitlines()[2] == "version: 1"
    path = tmp_path / "sample.yaml"
    path.write_text(text + "version: 2\n")

    (error,) = check(path).errors

    last_line = text.count("\n") + 1
    assert error == (
        f"sample.yaml: line {last_line}, column 1: "
        "invalid YAML: key 'version' given twice (first on line 3)"
    )


def test_missing_file_is_an_error_entry_not_an_exception(tmp_path: Path) -> None:
    result = check(tmp_path / "nowhere.yaml")

    assert result.errors == ["nowhere.yaml: (file): not found"]
    assert result.template is None and not result.ok


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "(top level): the file is empty"), ("- a\n- b\n", "(top level): must be a mapping")],
)
def test_file_that_is_not_a_mapping_of_fields_is_an_error(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "sample.yaml"
    path.write_text(text)

    assert check(path).errors[0].startswith(f"sample.yaml: {problem}")


# --- rules across steps ---------------------------------------------------------------------------


def test_name_must_equal_the_file_stem(tmp_path: Path) -> None:
    (error,) = errors_of(tmp_path, sample(name="other"))

    assert error.endswith(": name: must equal the file name 'sample' (got 'other')")


def test_duplicate_step_ids_are_an_error(tmp_path: Path) -> None:
    data = sample()
    data["steps"][2]["id"] = "evaluation"

    (error,) = errors_of(tmp_path, data)

    assert error.endswith(": steps[2].id: 'evaluation' is already used by steps[1]")


def test_before_naming_no_step_is_an_error_that_suggests_the_closest_id(tmp_path: Path) -> None:
    data = sample()
    data["steps"][0]["before"] = "evaluaton"

    (error,) = errors_of(tmp_path, data)

    assert error.endswith(
        ": steps[0].before: no step has id 'evaluaton' (did you mean 'evaluation'?)"
    )


def test_cycle_in_before_chain_is_an_error(tmp_path: Path) -> None:
    data = sample()
    data["steps"][1]["before"] = "legal-review"
    data["steps"][2]["before"] = "evaluation"

    errors = errors_of(tmp_path, data)

    assert [error.split(": ", 1)[1] for error in errors] == [
        "steps[0].before: no path to go-live: the chain runs into "
        "evaluation -> legal-review -> evaluation",
        "steps[1].before: the before chain loops: evaluation -> legal-review -> evaluation",
    ]


def test_step_before_itself_is_a_cycle(tmp_path: Path) -> None:
    data = sample()
    data["steps"][2]["before"] = "legal-review"

    (error,) = errors_of(tmp_path, data)

    assert error.endswith("steps[2].before: the before chain loops: legal-review -> legal-review")


def test_template_needs_a_go_live_milestone(tmp_path: Path) -> None:
    data = sample()
    data["steps"][5] = step("launch", days=1, critical=True)

    (error,) = errors_of(tmp_path, data)

    assert error.endswith(": steps: needs exactly one step with 'milestone: go-live' (found none)")


def test_two_go_live_or_two_signature_milestones_are_an_error(tmp_path: Path) -> None:
    data = sample()
    data["steps"].append(step("countersign", days=0, milestone="signature", before="signature"))
    data["steps"].append(step("launch", days=0, milestone="go-live"))

    errors = errors_of(tmp_path, data)

    assert [error.split(": ", 1)[1] for error in errors] == [
        "steps[6].milestone: only one step may be the signature milestone (steps[3] already is)",
        "steps[7].milestone: only one step may be the go-live milestone (steps[5] already is)",
    ]


def test_milestones_take_zero_days_and_other_steps_at_least_one(tmp_path: Path) -> None:
    data = sample()
    data["steps"][3]["days"] = 2
    data["steps"][4]["days"] = 0

    errors = errors_of(tmp_path, data)

    assert [error.split(": ", 1)[1] for error in errors] == [
        "steps[3].days: a milestone marks a date: must be 0 (got 2)",
        "steps[4].days: must be at least 1 (only milestones take 0 days)",
    ]


def test_go_live_milestone_must_sit_on_the_go_live_anchor(tmp_path: Path) -> None:
    data = sample()
    data["steps"][5] |= {"id": "launch", "before": "onboarding", "lag": 2}
    data["steps"][4]["before"] = GO_LIVE

    errors = errors_of(tmp_path, data)

    assert [error.split(": ", 1)[1] for error in errors] == [
        "steps[5].before: the go-live milestone must come before 'go-live' (got 'onboarding')",
        "steps[5].lag: the go-live milestone takes no lag (got 2)",
    ]


def test_go_live_id_is_reserved_for_the_go_live_milestone(tmp_path: Path) -> None:
    data = sample()
    data["steps"][5]["id"] = "launch"
    data["steps"][4]["id"] = "go-live"
    data["steps"][3]["before"] = "go-live"

    (error,) = errors_of(tmp_path, data)

    assert error.endswith(": steps[4].id: 'go-live' is reserved for the go-live milestone")


# --- warnings -------------------------------------------------------------------------------------


def test_over_30_steps_warns_but_loads(tmp_path: Path) -> None:
    data = sample()
    data["steps"][1:1] = [step(f"task-{n}", days=1, before="evaluation") for n in range(26)]

    result = check(write(tmp_path, data))

    assert result.template is not None and len(result.template.steps) == 32
    assert result.warnings == [
        "sample.yaml: steps: 32 steps: plans over 30 steps are rarely followed; 11-15 work best"
    ]


def test_fewer_than_5_steps_warns(tmp_path: Path) -> None:
    data = sample(typical_weeks=None)
    data["steps"] = [step("decide", days=5, critical=True), data["steps"][5]]

    result = check(write(tmp_path, data))

    assert result.template is not None
    assert [warning.split(": ", 2)[2] for warning in result.warnings] == [
        "2 steps: plans under 5 steps rarely cover a buying process; 11-15 work best"
    ]


def test_critical_path_longer_than_typical_weeks_warns(tmp_path: Path) -> None:
    data = sample(typical_weeks=[2, 4])
    # 5 + 2 + 10, signature's day, then 10: 28 business days along the longest chain
    data["steps"][0]["lag"] = 2

    result = check(write(tmp_path, data))

    assert result.template is not None
    assert [warning.split(": ", 1)[1] for warning in result.warnings] == [
        "typical_weeks: the longest before chain (from 'discovery') takes 28 business days "
        "(5.6 weeks): a go-live at the shortest typical length, 2 weeks, cannot fit it"
    ]


def test_critical_path_within_typical_weeks_does_not_warn(tmp_path: Path) -> None:
    # legal 15 + signature's day + onboarding 10 = 26 business days: fits 6 weeks, not 5
    assert check(write(tmp_path, sample(typical_weeks=[6, 7]))).warnings == []
    assert len(check(write(tmp_path, sample(typical_weeks=[5, 7]))).warnings) == 1


def test_critical_step_before_a_non_critical_one_warns(tmp_path: Path) -> None:
    data = sample()
    data["steps"][1]["critical"] = False

    (warning,) = check(write(tmp_path, data)).warnings

    assert warning.endswith(
        "steps[0].critical: critical, but comes before 'evaluation', which is not"
    )


def test_role_listed_twice_warns_and_loads_once(tmp_path: Path) -> None:
    data = sample()
    data["steps"][2]["roles"] = ["Legal", "Seller legal", "Legal"]

    result = check(write(tmp_path, data))

    assert result.warnings[0].endswith("steps[2].roles: listed more than once: Legal")
    assert result.template is not None
    assert result.template.step("legal-review").roles == (Role.LEGAL, Role.SELLER_LEGAL)


def test_slack_before_names_a_step_or_go_live(tmp_path: Path) -> None:
    assert check(write(tmp_path, sample(slack_before="signature"))).template is not None
    loaded = check(write(tmp_path, sample(slack_before="go-live"))).template
    assert loaded is not None and loaded.slack_before == "go-live"

    (error,) = check(write(tmp_path, sample(slack_before="signatur"))).errors

    assert error.endswith(": slack_before: no step has id 'signatur' (did you mean 'signature'?)")
