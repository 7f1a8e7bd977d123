"""Finding the right server for an address (DESIGN §6): sources in parallel, merged by priority.

Plain Python, no Qt. Front ends call `discover()` (from a worker thread: it may wait on the network)
and `to_candidates()` to hand the result to the probe engine.
"""

from assistant.core.address import ParsedAddress, parse
from assistant.discovery.model import ProviderConfig, Requirement, RequirementKind, ServerSetting
from assistant.discovery.options import DiscoveryOptions
from assistant.discovery.parallel_search import discover
from assistant.discovery.result import (
    AnswerState,
    DiscoveryResult,
    Found,
    NetworkError,
    NotFound,
    Origin,
    SourceAnswer,
)
from assistant.discovery.server_candidates import to_candidates

__all__ = [
    "AnswerState",
    "DiscoveryOptions",
    "DiscoveryResult",
    "Found",
    "NetworkError",
    "NotFound",
    "Origin",
    "ParsedAddress",
    "ProviderConfig",
    "Requirement",
    "RequirementKind",
    "ServerSetting",
    "SourceAnswer",
    "discover",
    "parse",
    "to_candidates",
]
