"""How a deal is named where people read it: its name, and its buyer's company unless the name
already says it ("Initech Bank branch reporting", not "Initech Bank branch reporting, for
Initech Bank"; never "Contoso Pharma x Contoso Pharma")."""

from __future__ import annotations


def says_company(name: str, company: str) -> bool:
    """Whether the deal's name already names the buyer's company (or there is none to name)."""
    name, company = " ".join(name.split()), " ".join(company.split())
    return not company or company.casefold() in name.casefold()


def deal_title(name: str, company: str, joiner: str = ", for ") -> str:
    """The deal's name, followed by its buyer's company when the name does not say it."""
    said = says_company(name, company)  # by the name as given, not the placeholder below
    name, company = " ".join(name.split()) or "Unnamed deal", " ".join(company.split())
    return name if said else f"{name}{joiner}{company}"
