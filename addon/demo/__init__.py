"""The demo pipeline `map-addon run` and `map-addon demo` build: deals, buyers and their weeks.

Not part of the domain: the product never depends on it. It uses the domain and the services the
way a seller and a buyer would.
"""
