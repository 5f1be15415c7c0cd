"""What a strict Content-Security-Policy header is, for the tests that check every page."""

UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'"}
# Whole schemes or any host: a source list with one of these trusts the world.
WILDCARDS = {"*", "http:", "https:", "ws:", "wss:", "blob:", "filesystem:"}
REQUIRED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
}


def csp_problems(policy: str | None) -> list[str]:
    """Why `policy` is not strict; empty when it is."""
    if not policy:
        return ["no Content-Security-Policy header"]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name.lower()] = set(sources) if part.strip() else set()
    problems = [
        f"{name} should be {' '.join(sorted(wanted))}"
        for name, wanted in REQUIRED.items()
        if directives.get(name) != wanted
    ]
    for name, sources in directives.items():
        for source in sources:
            if source.lower() in UNSAFE or source.lower() in WILDCARDS or "*" in source:
                problems.append(f"{name} allows {source}")
            if name in ("script-src", "default-src") and source.lower() == "data:":
                problems.append(f"{name} allows data:")
    return problems
