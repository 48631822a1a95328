"""Templates: the shipped ones, loading into the model, and finding them in a directory."""

from __future__ import annotations

import fnmatch
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from template_examples import errors_of, sample, write

from addon.domain.businessdays import add_business_days, is_business_day, next_business_day
from addon.domain.model import GO_LIVE, Milestone, Role, Side, StepSpec, Template
from addon.domain.schedule import schedule
from addon.domain.templates import (
    TemplateError,
    check_all,
    find_template,
    load_template,
    load_templates,
    templates_dir,
)

SHIPPED = Path(__file__).parents[3] / "sheets_templates"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each test from tmp_path, so messages name files as `sample.yaml`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MAP_TEMPLATES_DIR", raising=False)


# --- shipped templates ----------------------------------------------------------------------------


def test_shipped_templates_are_valid_and_sized_11_to_15_steps() -> None:
    results = check_all(SHIPPED)

    assert results, "no templates shipped"
    for result in results:
        assert result.errors == [], result.errors
        assert result.warnings == [], result.warnings
        assert result.template is not None
        assert 11 <= len(result.template.steps) <= 15, result.path


def test_shipped_templates_include_the_four_core_plans() -> None:
    names = [template.name for template in load_templates(SHIPPED)]

    assert {"enterprise-saas", "mid-market", "regulated-security", "expansion-renewal"} <= set(
        names
    )
    assert names == sorted(names)


def test_every_shipped_step_names_its_roles_and_explains_itself_to_the_buyer() -> None:
    for template in load_templates(SHIPPED):
        for spec in template.steps:
            assert spec.roles, f"{template.name}: {spec.id} has no roles"
            assert spec.description, f"{template.name}: {spec.id} has no description"
        assert template.typical_weeks is not None


def test_shipped_enterprise_saas_runs_security_review_alongside_legal_before_signature() -> None:
    template = find_template("enterprise-saas", SHIPPED)

    security, legal = template.step("security-review"), template.step("legal-review")
    assert security.before == legal.before == "signature"
    assert security.duration_days == 30
    assert Role.SECURITY in security.roles and Role.LEGAL in legal.roles
    assert template.step("procurement").roles == (Role.PROCUREMENT,)
    assert Role.ECONOMIC_BUYER in template.step("business-case").roles
    assert Role.TECHNICAL_EVALUATOR in template.step("technical-validation").roles
    assert Role.CHAMPION in template.step("mutual-plan").roles


def test_shipped_templates_have_one_signature_and_one_go_live_milestone() -> None:
    for template in load_templates(SHIPPED):
        milestones = [spec.milestone for spec in template.steps if spec.milestone]
        assert sorted(milestones) == [Milestone.GO_LIVE, Milestone.SIGNATURE], template.name


# --- loading into the model -----------------------------------------------------------------------


def test_load_converts_to_the_frozen_model_with_enums_and_tuples(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, sample(holidays=[date(2026, 12, 25)])))

    assert isinstance(template, Template)
    assert template.typical_weeks == (6, 8)
    assert template.holidays == (date(2026, 12, 25),)
    legal = template.step("legal-review")
    assert legal == StepSpec(
        id="legal-review",
        phase="Decide",
        name="Legal-Review",
        owner_side=Side.BOTH,
        duration_days=15,
        before="signature",
        roles=(Role.LEGAL,),
    )
    assert template.step("signature").milestone is Milestone.SIGNATURE


def test_omitted_fields_default_to_before_go_live_no_lag_not_critical(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, sample()))

    onboarding = template.step("onboarding")
    assert (onboarding.before, onboarding.lag_days, onboarding.roles) == (GO_LIVE, 0, ())
    assert template.step("legal-review").critical is False
    assert template.step("legal-review").description == ""


def test_holidays_accept_yaml_dates_and_quoted_iso_dates_sorted_once(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    text = yaml.safe_dump(sample(), sort_keys=False)
    path.write_text(text + "holidays: [2027-01-01, '2026-12-25', 2027-01-01]\n", encoding="utf-8")

    assert load_template(path).holidays == (date(2026, 12, 25), date(2027, 1, 1))


@pytest.mark.parametrize("holiday", ["2026-12-25T10:00:00", "25/12/2026", 20261225, "2026-02-30"])
def test_holiday_that_is_not_a_plain_date_is_an_error(tmp_path: Path, holiday: Any) -> None:
    errors = errors_of(tmp_path, sample(holidays=[holiday]))

    assert len(errors) == 1
    assert errors[0].startswith("sample.yaml: holidays[0]: must be a date like")


# --- directories ----------------------------------------------------------------------------------


def test_load_templates_sorts_by_name_and_raises_on_the_first_invalid_file(tmp_path: Path) -> None:
    write(tmp_path, sample("zeta"), "zeta")
    write(tmp_path, sample("alpha"), "alpha")
    (tmp_path / "notes.txt").write_text("not a template")

    assert [template.name for template in load_templates(tmp_path)] == ["alpha", "zeta"]

    write(tmp_path, sample("wrong-name"), "beta")
    with pytest.raises(TemplateError, match=r"beta\.yaml: name: must equal the file name 'beta'"):
        load_templates(tmp_path)


def test_check_all_reports_every_file_without_raising(tmp_path: Path) -> None:
    write(tmp_path, sample("good"), "good")
    (tmp_path / "broken.yaml").write_text("name: [\n")

    results = check_all(tmp_path)

    assert [(result.path.name, result.ok) for result in results] == [
        ("broken.yaml", False),
        ("good.yaml", True),
    ]


def test_check_all_of_a_missing_directory_is_one_error(tmp_path: Path) -> None:
    (result,) = check_all(tmp_path / "missing")

    assert result.errors == ["missing: (directory): not found"]


def test_find_template_loads_the_named_one_even_if_another_is_broken(tmp_path: Path) -> None:
    write(tmp_path, sample("good"), "good")
    (tmp_path / "broken.yaml").write_text("name: [\n")

    assert find_template("good", tmp_path).name == "good"


def test_find_unknown_template_lists_available_ones(tmp_path: Path) -> None:
    write(tmp_path, sample("mid-market"), "mid-market")
    write(tmp_path, sample("enterprise-saas"), "enterprise-saas")

    with pytest.raises(TemplateError) as raised:
        find_template("../mid-market", tmp_path)

    assert str(raised.value) == (
        "unknown template '../mid-market' (available: enterprise-saas, mid-market)"
    )


def test_the_shipped_templates_are_the_folder_beside_the_package_whatever_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The domain reads no environment: another folder is the configuration's to pass."""
    assert templates_dir() == Path(__file__).parents[3] / "sheets_templates"
    monkeypatch.setenv("MAP_TEMPLATES_DIR", str(tmp_path))
    assert templates_dir() == SHIPPED
    write(tmp_path, sample("only-one"), "only-one")
    assert [template.name for template in load_templates(tmp_path)] == ["only-one"]


def test_the_shipped_templates_are_package_data_of_an_install() -> None:
    """pyproject.toml installs `sheets_templates/` beside `addon`, where `templates_dir` looks."""
    project = tomllib.loads((SHIPPED.parent / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "sheets_templates" in setuptools["packages"]["find"]["include"]
    patterns = setuptools["package-data"]["sheets_templates"]
    shipped = sorted(path.name for path in SHIPPED.iterdir() if path.is_file())
    assert shipped == sorted(
        name for name in shipped if any(fnmatch.fnmatch(name, p) for p in patterns)
    )


def test_a_changed_template_file_is_read_again(tmp_path: Path) -> None:
    from addon.domain.templates import load_template

    source = next(templates_dir().glob("mid-market.yaml"))
    copy = tmp_path / "mid-market.yaml"
    copy.write_text(source.read_text())
    first = load_template(copy)
    assert load_template(copy) is first  # unchanged file: the loaded template is reused
    copy.write_text(source.read_text().replace(first.title, "Renamed"))
    assert load_template(copy).title == "Renamed"


def test_every_shipped_template_fits_its_shortest_typical_length_whatever_the_day() -> None:
    """Found by CI on a Saturday: a 5-week go-live counted from a weekend left one day short.

    The typical length counts from the first business day the work can start, so a plan made
    on any day of two weeks around the year's end (holidays included) fits at that length.
    """
    for template in load_templates(SHIPPED):
        assert template.typical_weeks is not None
        days_off = frozenset(template.holidays)
        for offset in range(14):
            today = date(2026, 12, 19) + timedelta(days=offset)
            ready = is_business_day(today, days_off)
            start = today if ready else next_business_day(today, days_off)
            go_live = add_business_days(start, template.typical_weeks[0] * 5, days_off)
            warnings = schedule(template, go_live, today).warnings
            assert not warnings, (template.name, today, go_live, warnings)
