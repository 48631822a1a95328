"""Risk rules: each flag raised on the evidence that should raise it, and not otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from risk_examples import (
    PEOPLE,
    RECENT_EDIT,
    deal,
    event,
    flags,
    frame,
    person,
    plan_steps,
    review,
    snapshot,
    step,
)
from shipped_plans import PLAN_DAY, fresh_steps, shipped_review

from addon.domain.businessdays import add_business_days
from addon.domain.review import steps_frame
from addon.domain.review_input import EventFacts, Thresholds
from addon.domain.risk_model import SEVERITY_RANK
from addon.domain.risks import RISK_COLUMNS, RULES, Risk, RiskKind, evaluate, risks_frame

K = RiskKind


def people_without(role: str) -> list[dict[str, object]]:
    return [p for p in PEOPLE if p["role"] != role]


def test_a_healthy_deal_raises_no_flag() -> None:
    assert evaluate(review(), frame(plan_steps())) == []


def test_every_kind_has_a_rule_and_a_snake_case_value_and_title() -> None:
    assert set(RULES) == set(RiskKind)
    assert K.NO_ECONOMIC_BUYER.value == "no_economic_buyer"
    assert K.NO_ECONOMIC_BUYER.label == "No economic buyer"


def test_no_economic_buyer_is_flagged_with_a_question_naming_the_buyer() -> None:
    data = review(snapshots={"d1": snapshot(people_without("Economic buyer"))})
    [risk] = flags(K.NO_ECONOMIC_BUYER, data)
    # exposed, but not yet evidence that the date is in danger: medium
    assert (risk.deal_id, risk.kind, risk.severity) == ("d1", K.NO_ECONOMIC_BUYER, "medium")
    assert "Acme" in risk.question and risk.question.endswith("?")
    assert "Economic buyer" in risk.evidence
    assert flags(K.NO_ECONOMIC_BUYER) == []


def test_roles_match_whatever_the_case_and_spacing_the_buyer_typed() -> None:
    people = [person("  economic BUYER "), person("champion")]
    data = review(snapshots={"d1": snapshot(people)})
    assert flags(K.NO_ECONOMIC_BUYER, data) == flags(K.NO_CHAMPION, data) == []


def test_no_champion_is_flagged_only_without_a_champion() -> None:
    [risk] = flags(K.NO_CHAMPION, review(snapshots={"d1": snapshot(people_without("Champion"))}))
    assert "Acme" in risk.question and "champion" in risk.question
    assert flags(K.NO_CHAMPION) == []


def test_missing_legal_step_asks_whether_counsel_accepted_our_terms() -> None:
    rows = [r for r in plan_steps() if r["step_id"] != "legal"]
    [risk] = flags(K.LEGAL_MISSING, steps=frame(rows))
    assert risk.question == (
        "No legal review is scheduled with Acme. "
        "Has their counsel confirmed our standard terms are acceptable?"
    )
    assert flags(K.LEGAL_MISSING) == []


def test_an_unscheduled_legal_step_is_flagged_with_its_name() -> None:
    [risk] = flags(K.LEGAL_MISSING, steps=frame(plan_steps(legal={"due": None})))
    assert "Legal review" in risk.evidence and "no due date" in risk.evidence


def test_a_step_named_for_the_contract_counts_as_legal() -> None:
    rows = [r for r in plan_steps() if r["step_id"] != "legal"]
    rows.append(step(None, "Redline the MSA", due="2027-02-20"))
    assert flags(K.LEGAL_MISSING, steps=frame(rows)) == []


def test_procurement_contact_only_required_above_the_threshold() -> None:
    big = review(deals=[deal(amount=Decimal(250_000))])
    [risk] = flags(K.NO_PROCUREMENT_CONTACT, big)
    assert "250,000" in risk.evidence and "100,000" in risk.evidence
    assert "Acme" in risk.question
    assert flags(K.NO_PROCUREMENT_CONTACT, review(deals=[deal(amount=Decimal(100_000))])) == []
    assert flags(K.NO_PROCUREMENT_CONTACT, review(deals=[deal(amount=None)])) == []
    covered = review(
        deals=[deal(amount=Decimal(250_000))],
        snapshots={"d1": snapshot([*PEOPLE, person("Procurement")])},
    )
    assert flags(K.NO_PROCUREMENT_CONTACT, covered) == []
    lower = review(
        deals=[deal(amount=Decimal(60_000))], thresholds=Thresholds(procurement_amount=50_000)
    )
    assert len(flags(K.NO_PROCUREMENT_CONTACT, lower)) == 1


def test_security_review_removed_by_the_buyer_is_flagged() -> None:
    removed = event("step_removed", 3, subject="security-review", subject_label="Security review")
    rows = [r for r in plan_steps() if r["step_id"] != "security-review"]
    [risk] = flags(K.SECURITY_MISSING, review(events=[RECENT_EDIT, removed]), frame(rows))
    assert risk.severity == "medium"
    assert "removed by the buyer on 2027-01-17" in risk.evidence
    assert "Acme" in risk.question
    assert flags(K.SECURITY_MISSING) == []


def test_security_review_is_not_required_when_the_template_has_none() -> None:
    data = review(deals=[deal(template="other")])
    rows = [r for r in plan_steps() if r["step_id"] != "security-review"]
    assert flags(K.SECURITY_MISSING, data, frame(rows)) == []


def test_validation_not_done_close_to_signature_is_flagged() -> None:
    # signature 2027-01-29 is 7 business days after 2027-01-20, within the default 10
    data = review(snapshots={"d1": snapshot(signature_target="2027-01-29")})
    [risk] = flags(K.VALIDATION_LATE, data)
    assert "Proof of concept" in risk.evidence and "7 business days away" in risk.evidence
    assert "Acme" in risk.question
    assert flags(K.VALIDATION_LATE) == []  # 28 business days away
    done = frame(plan_steps(poc={"status": "Done"}))
    assert flags(K.VALIDATION_LATE, data, done) == []
    relaxed = review(
        snapshots={"d1": snapshot(signature_target="2027-01-29")},
        thresholds=Thresholds(validation_lead_days=5),
    )
    assert flags(K.VALIDATION_LATE, relaxed) == []


def test_validation_is_late_once_signature_has_passed() -> None:
    data = review(snapshots={"d1": snapshot(signature_target="2027-01-18")})
    [risk] = flags(K.VALIDATION_LATE, data)
    assert "2 business days past" in risk.evidence


def test_the_signature_date_falls_back_to_the_signature_step() -> None:
    data = review(
        snapshots={"d1": snapshot(signature_target=None)}, deals=[deal(signature_target=None)]
    )
    steps = frame(plan_steps(signature={"due": "2027-01-29"}))
    assert len(flags(K.VALIDATION_LATE, data, steps)) == 1


def test_buyer_silence_counts_days_since_the_last_buyer_edit() -> None:
    old = event("step_done", 19)
    seller = event("owner_changed", 1, side="seller")
    [risk] = flags(K.BUYER_SILENT, review(events=[old, seller]))
    assert risk.question == (
        "Acme has not touched the plan in 19 days. "
        "Who on their side still owns this decision, and when did we last speak?"
    )
    assert "2027-01-01" in risk.evidence
    assert flags(K.BUYER_SILENT, review(events=[event("step_done", 13)])) == []
    assert flags(K.BUYER_SILENT, review(events=[event("step_done", 14)])) != []


def test_silence_counts_from_creation_when_the_buyer_never_edited() -> None:
    # created 2027-01-13, 7 days before TODAY
    [risk] = flags(K.BUYER_SILENT, review(events=[], thresholds=Thresholds(buyer_silence_days=7)))
    assert "since the plan was created on 2027-01-13" in risk.evidence
    assert flags(K.BUYER_SILENT, review(events=[])) == []


def test_a_deal_without_a_snapshot_gets_only_buyer_silence() -> None:
    data = review(snapshots={}, events=[])
    quiet = review(
        deals=[deal(created_at=deal().created_at.replace(year=2026))], snapshots={}, events=[]
    )
    assert evaluate(data, frame([])) == []
    assert [r.kind for r in evaluate(quiet, frame([]))] == [K.BUYER_SILENT]


def test_overdue_steps_are_flagged_per_side_with_count_and_oldest() -> None:
    late = {"overdue": True}
    rows = plan_steps(
        poc={**late, "business_days_overdue": 3, "due": "2027-01-15"},
        **{"security-review": {**late, "business_days_overdue": 7, "due": "2027-01-11"}},
    )
    rows.append(
        step(
            None,
            "Send pricing",
            owner_side="Seller",
            due="2027-01-19",
            overdue=True,
            business_days_overdue=1,
        )
    )
    steps = frame(rows)
    [buyer] = flags(K.OVERDUE_BUYER, steps=steps)
    assert buyer.evidence == (
        "2 buyer steps overdue, oldest: Security review due 2027-01-11 (7 business days)"
    )
    assert buyer.severity == "medium" and "Acme" in buyer.question
    [seller] = flags(K.OVERDUE_SELLER, steps=steps)
    assert seller.evidence.startswith("1 seller step overdue, oldest: Send pricing")
    assert flags(K.OVERDUE_BUYER) == flags(K.OVERDUE_SELLER) == []


def test_an_overdue_critical_or_shared_step_counts_on_both_sides_and_raises_severity() -> None:
    rows = plan_steps(
        poc={"overdue": True, "business_days_overdue": 2, "owner_side": "Both", "critical": True}
    )
    steps = frame(rows)
    assert [r.severity for r in flags(K.OVERDUE_BUYER, steps=steps)] == ["high"]
    assert [r.severity for r in flags(K.OVERDUE_SELLER, steps=steps)] == ["high"]


@pytest.mark.parametrize(
    ("kind", "event_kind"),
    [(K.GO_LIVE_SLIPPED, "go_live_slipped"), (K.SIGNATURE_SLIPPED, "signature_slipped")],
)
def test_slips_are_flagged_by_count_or_by_total_days(kind: RiskKind, event_kind: str) -> None:
    def slip(days: int, ago: int) -> EventFacts:
        return event(
            event_kind,
            ago,
            before="2027-03-01",
            after="2027-03-08",
            details={"slip_business_days": days},
        )

    twice = review(events=[slip(2, 9), slip(3, 2)])
    [risk] = flags(kind, twice)
    assert "twice, 5 business days in total" in risk.evidence and "Acme" in risk.question
    assert len(flags(kind, review(events=[slip(12, 2)]))) == 1  # once, but 12 business days
    assert flags(kind, review(events=[slip(4, 2)])) == []
    assert flags(kind, review(events=[slip(4, 5), slip(-4, 2)])) == []  # pulled back in
    strict = Thresholds(slip_count=3, slip_days=20)
    assert flags(kind, review(events=[slip(2, 9), slip(3, 2)], thresholds=strict)) == []


def test_plan_identical_to_its_template_means_the_buyer_never_made_it_theirs() -> None:
    [risk] = flags(K.PLAN_UNCHANGED, review(events=[event("step_done", 1)]))
    assert risk.severity == "low" and "Acme" in risk.question
    assert flags(K.PLAN_UNCHANGED) == []  # the buyer moved a due date
    seller_edit = event("due_date_moved", 1, side="seller")
    assert len(flags(K.PLAN_UNCHANGED, review(events=[seller_edit]))) == 1
    added = frame([*plan_steps(), step(None, "Board approval")])
    assert flags(K.PLAN_UNCHANGED, review(events=[]), added) == []


def test_plan_longer_than_max_steps_is_flagged() -> None:
    rows = plan_steps() + [step(None, f"Extra {n}") for n in range(25)]  # 31 steps
    [risk] = flags(K.PLAN_TOO_LONG, steps=frame(rows))
    assert risk.evidence == "31 steps (limit 30)"
    assert flags(K.PLAN_TOO_LONG, steps=frame(rows[:30])) == []
    assert flags(K.PLAN_TOO_LONG, review(thresholds=Thresholds(max_steps=5))) != []


def test_remaining_work_that_cannot_fit_before_signature_is_flagged() -> None:
    # a fresh mid-market plan, read five weeks on with nothing done: the main chain alone
    # (discovery 3, plan 1, trial 8, proposal 3, decision 1, order form 3) needs 19 business
    # days; the parallel questionnaire and terms review do not add to it (no US holiday falls
    # in these weeks of 2027)
    template, steps = fresh_steps("mid-market")
    signature = next(step for step in steps if step["id"] == "signature")
    late = add_business_days(date.fromisoformat(signature["due"]), -10)
    data = shipped_review(template, steps, today=late)
    [risk] = flags(K.CANNOT_FIT, data, steps_frame(data))
    assert risk.severity == "high"
    assert "Discovery call - goals and success criteria → " in risk.evidence
    assert "Order form and purchase order" in risk.evidence
    assert "Security questionnaire" not in risk.evidence
    needed = add_business_days(late, 19)  # 19 days of work from today, then signature's day
    assert f"needs until {needed.isoformat()}" in risk.evidence
    assert f"signature is {signature['due']}, 9 business days earlier" in risk.evidence


def test_a_fresh_plan_of_every_shipped_template_cannot_fail_to_fit() -> None:
    for name in ("enterprise-saas", "expansion-renewal", "mid-market", "regulated-security"):
        template, steps = fresh_steps(name)
        data = shipped_review(template, steps, today=PLAN_DAY)
        assert flags(K.CANNOT_FIT, data, steps_frame(data)) == [], name


def test_an_alternative_vendor_named_is_flagged() -> None:
    data = review(snapshots={"d1": snapshot(alternatives="Globex")})
    [risk] = flags(K.ALTERNATIVE_NAMED, data)
    assert '"Globex"' in risk.question and "Acme" in risk.question
    assert flags(K.ALTERNATIVE_NAMED) == []
    assert (
        flags(K.ALTERNATIVE_NAMED, review(snapshots={"d1": snapshot(alternatives=" none ")})) == []
    )


def test_a_plan_not_agreed_by_both_sides_is_flagged() -> None:
    [risk] = flags(K.NOT_AGREED, review(snapshots={"d1": snapshot(plan_agreed_buyer=False)}))
    assert risk.evidence == "Plan agreed: buyer no, seller yes"
    assert risk.question.startswith("Acme has not agreed to the plan.")
    assert flags(K.NOT_AGREED, review(snapshots={"d1": snapshot(plan_agreed_seller=None)})) != []
    assert flags(K.NOT_AGREED) == []


def test_disabled_rules_do_not_run() -> None:
    bad = review(snapshots={"d1": snapshot([], alternatives="Globex")}, events=[])
    everything = {r.kind for r in evaluate(bad, frame(plan_steps()))}
    assert {K.NO_CHAMPION, K.NO_ECONOMIC_BUYER, K.ALTERNATIVE_NAMED} <= everything
    only = evaluate(bad, frame(plan_steps()), enabled=[K.ALTERNATIVE_NAMED, "no_champion"])
    assert {r.kind for r in only} == {K.ALTERNATIVE_NAMED, K.NO_CHAMPION}
    assert evaluate(bad, frame(plan_steps()), enabled=[]) == []
    with pytest.raises(ValueError):
        evaluate(bad, frame(plan_steps()), enabled=["no_such_rule"])


def test_each_deal_is_judged_on_its_own_rows_and_events() -> None:
    other = deal(deal_id="d2", name="Beta pilot", buyer_company="Beta")
    rows = plan_steps() + [{**r, "deal_id": "d2"} for r in plan_steps(legal={"due": None})]
    data = review(
        deals=[deal(), other],
        snapshots={"d1": snapshot(), "d2": snapshot()},
        events=[RECENT_EDIT, event("due_date_moved", 1, deal_id="d2")],
    )
    [risk] = evaluate(data, frame(rows))
    assert (risk.deal_id, risk.kind) == ("d2", K.LEGAL_MISSING)
    assert "Beta" in risk.question


def test_risks_frame_puts_high_severity_first_then_deal_names() -> None:
    deals = [deal(), deal(deal_id="d2", name="Beta pilot", buyer_company="Beta")]
    risks = [
        Risk("d2", K.PLAN_TOO_LONG, "low", "e1", "q1"),
        Risk("d2", K.NO_CHAMPION, "high", "e2", "q2"),
        Risk("d1", K.NOT_AGREED, "medium", "e3", "q3"),
        Risk("d1", K.BUYER_SILENT, "high", "e4", "q4"),
    ]
    table = risks_frame(risks, deals)
    assert list(table.columns) == RISK_COLUMNS
    assert list(table["Evidence"]) == ["e4", "e2", "e3", "e1"]
    first = table.iloc[0]
    assert (first["Deal"], first["Buyer"], first["Owner"]) == (
        "Acme rollout",
        "Acme",
        "sam@seller.example",
    )
    assert (first["Risk"], first["Severity"], first["Coaching question"]) == (
        "Buyer silent",
        "high",
        "q4",
    )
    assert list(risks_frame([], deals).columns) == RISK_COLUMNS


def test_hostile_snapshot_values_do_not_crash_the_rules() -> None:
    data = review(
        snapshots={"d1": {"deal": "oops", "stakeholders": [None, {"role": 7}], "steps": []}}
    )
    steps = frame(plan_steps(poc={"roles": None, "duration_days": "ten", "name": None}))
    kinds = {r.kind for r in evaluate(data, steps)}
    assert {K.NO_ECONOMIC_BUYER, K.NOT_AGREED} <= kinds


def test_a_plan_in_its_first_days_gets_its_gaps_as_a_setup_checklist_not_risks() -> None:
    young = deal(created_at=datetime(2027, 1, 18, 9, 0, tzinfo=UTC))  # 2 business days old
    data = review(deals=[young], snapshots={"d1": snapshot(people_without("Champion"))})
    [champion] = flags(K.NO_CHAMPION, data)
    assert champion.severity == "setup"
    settled = review(snapshots={"d1": snapshot(people_without("Champion"))})  # 5 days old
    assert [risk.severity for risk in flags(K.NO_CHAMPION, settled)] == ["medium"]
    later = review(
        deals=[young],
        snapshots={"d1": snapshot(people_without("Champion"))},
        thresholds=Thresholds(setup_days=2),
    )
    assert [risk.severity for risk in flags(K.NO_CHAMPION, later)] == ["medium"]


def test_fresh_plans_of_every_shipped_template_raise_no_high_risk() -> None:
    for name in ("enterprise-saas", "expansion-renewal", "mid-market", "regulated-security"):
        template, steps = fresh_steps(name)
        data = shipped_review(template, steps, today=PLAN_DAY)
        risks = evaluate(data, steps_frame(data))
        assert [r for r in risks if r.severity == "high"] == [], name
        assert {r.severity for r in risks} <= {"setup", "low"}, (name, risks)


def test_each_deals_risks_are_ranked_by_severity() -> None:
    data = review(
        snapshots={"d1": snapshot(people_without("Champion"), alternatives="Globex")},
        events=[],
    )
    risks = evaluate(data, frame(plan_steps()))
    ranks = [SEVERITY_RANK[risk.severity] for risk in risks]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1


def test_the_pipeline_lists_what_needs_a_manager_first_then_the_larger_amount() -> None:
    from review_examples import pipeline

    from addon.domain.review_all import pipeline_and_risks

    table, risks, _, _ = pipeline_and_risks(pipeline())
    worst = {}
    for risk in risks:
        rank = SEVERITY_RANK[risk.severity]
        worst[risk.deal_id] = min(worst.get(risk.deal_id, rank), rank)
    keys = [
        (worst.get(d, len(SEVERITY_RANK)), -a)
        for d, a in zip(table["deal_id"], table["Amount"], strict=True)
    ]
    assert keys == sorted(keys)
    assert len(set(table["deal_id"])) == len(table) == 5


def test_a_before_signature_step_dated_after_signature_is_a_date_in_danger() -> None:
    template, steps = fresh_steps("mid-market")
    signature = date.fromisoformat(next(s["due"] for s in steps if s["id"] == "signature"))
    moved = add_business_days(signature, 16)
    edited = [{**s, "due": str(moved)} if s["id"] == "terms-review" else s for s in steps]
    data = shipped_review(template, edited, today=PLAN_DAY)
    [risk] = flags(K.CANNOT_FIT, data, steps_frame(data))
    assert risk.severity == "high"
    assert risk.evidence == (
        f"Review of our standard terms is dated {moved}, after signature on {signature}: as the"
        f" plan stands, signature can come no earlier than {add_business_days(moved, 1)}"
        " (17 business days later)"
    )


def test_steps_dated_before_the_plan_was_made_are_nobodys_overdue_work() -> None:
    # a go-live too close: the first steps were due before the plan existed
    template, steps = fresh_steps("mid-market", weeks=3)
    assert min(s["due"] for s in steps) < PLAN_DAY.isoformat()
    data = shipped_review(template, steps, today=add_business_days(PLAN_DAY, 1))
    frame_ = steps_frame(data)
    assert flags(K.OVERDUE_BUYER, data, frame_) == []
    assert flags(K.OVERDUE_SELLER, data, frame_) == []
    [risk] = flags(K.CANNOT_FIT, data, frame_)
    assert risk.severity == "high"
