"""Create a mutual action plan: register the deal, build its sheet in one request, share it.

Order of work, so that nothing is lost and a retry completes what a failure left:
1. validate and schedule (nothing exists yet; a bad request leaves nothing behind);
2. register the deal, its people and the request key in one transaction (status `creating`);
3. create the spreadsheet (one Sheets request), then record its id and the first snapshot in
   one transaction;
4. share it with each person (one Drive request each), recording each share as it lands;
5. mark the deal `ready`, or `incomplete` with what is missing, and say so.
A second call with the same request key resumes at the first step not recorded as done; if a
create's answer was lost, it finds the sheet by title and developer metadata instead of making a
second one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from ..domain.layout import META_DEAL_ID, in_due_order, plan_title, spreadsheet_body
from ..domain.model import Milestone, PlanDocument, PlanRequest, Role, Side, Stakeholder, Template
from ..domain.plan_request import InvalidPlanRequest
from ..domain.plan_status import status_lines
from ..domain.schedule import schedule
from ..domain.snapshot import initial_snapshot
from ..domain.templates import TemplateError, find_template
from ..google.errors import GoogleApiError
from ..google.gateway import GoogleFactory, GoogleGateway
from ..store import DealRecord, DealStatus, PersonRecord, RequestKeyConflict, Store
from ..store.deals import new_deal_id, request_fingerprint
from .plan_summary import deal_summary

SHEET = "sheet"
SHARE_CONCURRENCY = 4  # Drive requests in flight per plan, well inside per-user quotas


def _share_item(email: str) -> str:
    return f"share:{email}"


@dataclass(frozen=True)
class PlanCreated:
    """The outcome of a create: the deal, its sheet, who has it, and schedule warnings."""

    deal_id: str
    spreadsheet_id: str
    url: str
    shared_with: tuple[str, ...]
    schedule_warnings: tuple[str, ...]
    reused: bool  # True when a request key returned an earlier, complete plan


class PlanIncomplete(Exception):
    """The deal is recorded but its sheet or some shares are missing; retry to complete."""

    def __init__(self, deal: DealRecord, cause: Exception, request_key: str | None) -> None:
        self.deal = deal
        self.cause = cause
        todo = ", ".join(deal.missing) or "nothing"
        retry = (
            f"run again with --request-key {request_key} to finish"
            if request_key
            else "run it again with a --request-key to make retries safe"
        )
        super().__init__(f"plan {deal.deal_id} is incomplete (missing: {todo}): {cause}; {retry}")


def display_name(email: str) -> str:
    """A readable guess at a person's name from their address (`ann.lee@x` -> `Ann Lee`)."""
    local = email.split("@", 1)[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part)


@dataclass
class PlanCreator:
    """The create-plan use case, wired to a store, Google, and the templates."""

    store: Store
    google: GoogleFactory
    service_account: str
    templates_dir: Path | None = None
    today: Callable[[], date] = lambda: datetime.now(UTC).date()
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # stamps the deal and first snapshot

    def template(self, name: str) -> Template:
        try:
            return find_template(name, self.templates_dir)
        except TemplateError as exc:
            raise InvalidPlanRequest(str(exc)) from None

    def create(self, request: PlanRequest) -> PlanCreated:
        """Create (or, for a known request key, finish or return) the plan for `request`."""
        template = self.template(request.template)
        fingerprint = request_fingerprint(_parameters(request))
        deal, fresh = self._register(request, template, fingerprint)
        if deal.status is DealStatus.READY:
            return self._result(deal, template, reused=True)
        return self._complete(deal, template, request, fresh)

    def _register(
        self, request: PlanRequest, template: Template, fingerprint: str
    ) -> tuple[DealRecord, bool]:
        """The deal for this request: an earlier one for its key, or a newly registered one."""
        try:
            with self.store.transaction() as tx:
                if request.request_key:
                    earlier = tx.request_keys.lookup(request.request_key, fingerprint=fingerprint)
                    if earlier is not None:
                        return _required(tx.deals.get(earlier)), False
                deal = self._new_deal(request, template)
                tx.deals.insert(deal)
                if request.request_key:
                    winner = tx.request_keys.claim(
                        request.request_key, deal_id=deal.deal_id, fingerprint=fingerprint
                    )
                    if winner != deal.deal_id:  # an identical request got there first
                        raise _LostRace(winner)
                return _required(tx.deals.get(deal.deal_id)), True
        except _LostRace as race:
            with self.store.transaction() as tx:
                return _required(tx.deals.get(race.deal_id)), False
        except RequestKeyConflict:
            raise InvalidPlanRequest(
                f"request key {request.request_key} was already used for a different plan"
            ) from None

    def _new_deal(self, request: PlanRequest, template: Template) -> DealRecord:
        plan = schedule(template, request.go_live, self.today())
        roles = dict(request.buyer_roles)
        buyers = [
            PersonRecord(email=e, side=Side.BUYER, role=_role_text(roles.get(e)))
            for e in request.buyer_emails
        ]
        people = [
            *buyers,
            PersonRecord(email=request.owner, side=Side.SELLER, shared=True),
            PersonRecord(email=self.service_account.lower(), side=Side.SERVICE),
        ]
        now = self.now()
        return DealRecord(
            deal_id=new_deal_id(),
            name=request.deal_name,
            buyer_company=request.buyer_company,
            owner_email=request.owner,
            template=template.name,
            template_version=template.version,
            go_live=request.go_live,
            signature_target=plan.signature_date,
            amount=Decimal(str(request.amount)) if request.amount is not None else None,
            created_at=now,
            updated_at=now,
            status=DealStatus.CREATING,
            missing=(SHEET, *(_share_item(p.email) for p in people if not p.shared)),
            people=tuple(people),
        )

    def document(self, deal: DealRecord, template: Template) -> PlanDocument:
        """What goes into the deal's sheet: its schedule and the people known so far."""
        stakeholders = [
            Stakeholder(display_name(p.email), p.email, Side.BUYER, _buyer_role(p.role))
            for p in deal.people
            if p.side is Side.BUYER
        ]
        stakeholders.append(
            Stakeholder(
                display_name(deal.owner_email),
                deal.owner_email,
                Side.SELLER,
                Role.ACCOUNT_EXECUTIVE,
                "Owns the plan on our side",
            )
        )
        return PlanDocument(
            deal_id=deal.deal_id,
            deal_name=deal.name,
            buyer_company=deal.buyer_company,
            template=template,
            # the Plan tab lists the steps by due date (its rows, the Timeline's and the first
            # snapshot's all follow this order)
            schedule=in_due_order(schedule(template, deal.go_live, self.today())),
            stakeholders=tuple(stakeholders),
        )

    def _complete(
        self, deal: DealRecord, template: Template, request: PlanRequest, fresh: bool
    ) -> PlanCreated:
        gateway = self.google.as_user(deal.owner_email)
        try:
            if deal.spreadsheet_id is None:
                deal = self._create_sheet(deal, template, gateway, search_first=not fresh)
            deal = self._share(deal, request.invitation)
        except GoogleApiError as exc:
            with self.store.transaction() as tx:
                current = _required(tx.deals.get(deal.deal_id))
                status = (
                    DealStatus.CREATING
                    if current.spreadsheet_id is None
                    else (DealStatus.INCOMPLETE)
                )
                tx.deals.set_status(deal.deal_id, status, missing=current.missing)
                current = _required(tx.deals.get(deal.deal_id))
            raise PlanIncomplete(current, exc, request.request_key) from exc
        return self._result(deal, template, reused=False)

    def _create_sheet(
        self, deal: DealRecord, template: Template, gateway: GoogleGateway, search_first: bool
    ) -> DealRecord:
        plan = self.document(deal, template)
        # The outlook lines say from the start what the schedule model will say at the first
        # read (a go-live too close to fit says so now, not after a buyer's first edit).
        lines = status_lines(
            initial_snapshot(plan, deal.owner_email),
            template,
            self.today(),
            {Milestone.SIGNATURE: deal.signature_target, Milestone.GO_LIVE: deal.go_live},
        )
        plan = dataclasses.replace(plan, outlook=tuple(lines.items()))
        summary = deal_summary(
            deal, initial_snapshot(plan, deal.owner_email), template, self.today(), lines
        )
        plan = dataclasses.replace(plan, summary=tuple(summary))
        title = plan_title(plan)
        found = (
            gateway.find_spreadsheet(title, META_DEAL_ID, deal.deal_id) if search_first else None
        )
        if found is not None:
            spreadsheet_id, url = found, f"https://docs.google.com/spreadsheets/d/{found}/edit"
        else:
            body = spreadsheet_body(
                plan, service_account=self.service_account, owner=deal.owner_email, title=title
            )
            created = gateway.create_spreadsheet(body)
            spreadsheet_id, url = created["spreadsheetId"], created["spreadsheetUrl"]
        missing = tuple(m for m in deal.missing if m != SHEET)
        with self.store.transaction() as tx:
            tx.deals.set_spreadsheet(deal.deal_id, spreadsheet_id=spreadsheet_id, url=url)
            tx.deals.set_status(deal.deal_id, DealStatus.INCOMPLETE, missing=missing)
            tx.snapshots.insert(
                deal.deal_id,
                initial_snapshot(plan, deal.owner_email),
                taken_at=self.now(),
            )
            return _required(tx.deals.get(deal.deal_id))

    def _share(self, deal: DealRecord, invitation: str | None) -> DealRecord:
        """Share with everyone not yet shared with, a few at a time; one failure does not stop
        the others, and each share is recorded as it lands."""
        spreadsheet_id = deal.spreadsheet_id
        assert spreadsheet_id is not None
        pending = [p for p in deal.people if not p.shared]
        failures: list[GoogleApiError] = []

        def share(person: PersonRecord) -> str:
            gateway = self.google.as_user(deal.owner_email)  # one per thread
            buyer = person.side is Side.BUYER
            return gateway.share(
                spreadsheet_id, person.email, "writer", notify=buyer, message=invitation
            )

        with ThreadPoolExecutor(max_workers=max(1, min(SHARE_CONCURRENCY, len(pending)))) as pool:
            futures = {pool.submit(share, person): person for person in pending}
            for future in as_completed(futures):
                person = futures[future]
                try:
                    permission = future.result()
                except GoogleApiError as exc:
                    failures.append(exc)
                    continue
                with self.store.transaction() as tx:
                    tx.deals.mark_shared(deal.deal_id, person.email, permission_id=permission)
                    current = _required(tx.deals.get(deal.deal_id))
                    missing = tuple(m for m in current.missing if m != _share_item(person.email))
                    tx.deals.set_status(deal.deal_id, DealStatus.INCOMPLETE, missing=missing)
        if failures:
            raise failures[0]
        with self.store.transaction() as tx:
            tx.deals.set_status(deal.deal_id, DealStatus.READY, missing=())
            return _required(tx.deals.get(deal.deal_id))

    def _result(self, deal: DealRecord, template: Template, reused: bool) -> PlanCreated:
        assert deal.spreadsheet_id is not None and deal.url is not None
        plan = schedule(template, deal.go_live, self.today())
        return PlanCreated(
            deal_id=deal.deal_id,
            spreadsheet_id=deal.spreadsheet_id,
            url=deal.url,
            shared_with=tuple(
                p.email for p in deal.people if p.shared and p.email != deal.owner_email
            ),
            schedule_warnings=tuple(w.message for w in plan.warnings),
            reused=reused,
        )


class _LostRace(Exception):
    def __init__(self, deal_id: str) -> None:
        super().__init__(deal_id)
        self.deal_id = deal_id


def _required(deal: DealRecord | None) -> DealRecord:
    if deal is None:
        raise LookupError("deal vanished from the store")
    return deal


def _role_text(role: Role | None) -> str | None:
    return role.value if role is not None else None


def _buyer_role(text: str | None) -> Role | None:
    """A stored buyer's role as the Stakeholders tab shows it (None when none was chosen)."""
    return next((role for role in Role if role.value == text), None)


def _parameters(request: PlanRequest) -> dict[str, object]:
    """What identifies a request for idempotency (the invitation text does not; roles do when
    chosen, so a role-less request keeps the fingerprint it always had)."""
    identity: dict[str, object] = {
        "deal_name": request.deal_name,
        "buyer_company": request.buyer_company,
        "buyer_emails": sorted(request.buyer_emails),
        "go_live": request.go_live.isoformat(),
        "template": request.template,
        "owner": request.owner,
        "amount": request.amount,
    }
    if request.buyer_roles:
        identity["buyer_roles"] = sorted((e, r.value) for e, r in request.buyer_roles)
    return identity
