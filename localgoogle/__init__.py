"""A local Google stand-in: Sheets v4, Drive v3 and Cloud Tasks over real HTTP.

A test double for development and tests, never deployed and never imported by `addon/`: the
add-on's `map-addon run` and `map-addon local-google` find it through the `map_addon.local_backends`
entry point (`launch.start`). See docs/LOCAL_GOOGLE.md.
"""
