"""The demo deployment (`jbdesk demo`, the benchmarks): a simulation that drives the real services, kept apart from them."""

from jbdesk.demo.build import (
    DemoError,
    DemoOptions,
    DemoResult,
    ExportedBundle,
    build_demo,
    bundle_payloads,
    default_through,
    parse_through,
)
from jbdesk.demo.data import synthetic_facilities

__all__ = [
    "DemoError",
    "DemoOptions",
    "DemoResult",
    "ExportedBundle",
    "build_demo",
    "bundle_payloads",
    "default_through",
    "parse_through",
    "synthetic_facilities",
]
