"""Explicit dependency and body markers for handlers (Litestar 3 style)."""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from appliance.services.container import Services
from appliance.services.staff_service import Principal

ServicesDep: TypeAlias = NamedDependency[Services]
PrincipalDep: TypeAlias = NamedDependency[Principal]
