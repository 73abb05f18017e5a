"""Which day it is in the request's jurisdiction: a law in force from a day starts at its local midnight.

A request without `date` is judged on today's date in its place: the zone of
its region where the region has one of its own, else its country's zone.  A
country with one zone in the CLDR's territory data (through Babel) has that
one.  For a country spread over several zones the choice is written down
here, once: the zone of its capital (`CAPITAL_ZONES`), and for the regions of
the United States, Canada, Australia and Brazil the zone most of each region's
people live in (`REGION_ZONES`; a state split between two zones, such as
Texas or Indiana, takes its larger part's).  A request with no country, or
from a place none of these name, is judged on the date in UTC.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = "UTC"

CAPITAL_ZONES = {
    "AQ": "UTC", "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "CA": "America/Toronto", "CD": "Africa/Kinshasa", "CL": "America/Santiago", "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia", "DE": "Europe/Berlin", "EC": "America/Guayaquil", "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei", "GL": "America/Nuuk", "ID": "Asia/Jakarta", "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty", "MH": "Pacific/Majuro", "MN": "Asia/Ulaanbaatar", "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland", "PF": "Pacific/Tahiti", "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron", "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "UA": "Europe/Kyiv",
    "UM": "Pacific/Wake", "US": "America/New_York", "UZ": "Asia/Tashkent",
}
"""Countries with several zones: the zone of the capital (Canberra keeps Sydney's time)."""

_EASTERN, _CENTRAL, _MOUNTAIN, _PACIFIC = "America/New_York", "America/Chicago", "America/Denver", \
    "America/Los_Angeles"

REGION_ZONES = {
    # United States: states, the district and the territories.
    **{f"US-{s}": _EASTERN for s in ("CT", "DC", "DE", "FL", "GA", "IN", "KY", "MA", "MD", "ME", "MI", "NC", "NH",
                                     "NJ", "NY", "OH", "PA", "RI", "SC", "VA", "VT", "WV")},
    **{f"US-{s}": _CENTRAL for s in ("AL", "AR", "IA", "IL", "KS", "LA", "MN", "MO", "MS", "ND", "NE", "OK", "SD",
                                     "TN", "TX", "WI")},
    **{f"US-{s}": _MOUNTAIN for s in ("CO", "ID", "MT", "NM", "UT", "WY")},
    **{f"US-{s}": _PACIFIC for s in ("CA", "NV", "OR", "WA")},
    "US-AZ": "America/Phoenix", "US-AK": "America/Anchorage", "US-HI": "Pacific/Honolulu",
    "US-PR": "America/Puerto_Rico", "US-VI": "America/St_Thomas", "US-GU": "Pacific/Guam",
    "US-MP": "Pacific/Saipan", "US-AS": "Pacific/Pago_Pago",
    # Canada: provinces and territories.
    "CA-AB": "America/Edmonton", "CA-BC": "America/Vancouver", "CA-MB": "America/Winnipeg",
    "CA-NB": "America/Moncton", "CA-NL": "America/St_Johns", "CA-NS": "America/Halifax",
    "CA-NT": "America/Yellowknife", "CA-NU": "America/Iqaluit", "CA-ON": "America/Toronto",
    "CA-PE": "America/Halifax", "CA-QC": "America/Toronto", "CA-SK": "America/Regina", "CA-YT": "America/Whitehorse",
    # Australia: states and territories.
    "AU-ACT": "Australia/Sydney", "AU-NSW": "Australia/Sydney", "AU-NT": "Australia/Darwin",
    "AU-QLD": "Australia/Brisbane", "AU-SA": "Australia/Adelaide", "AU-TAS": "Australia/Hobart",
    "AU-VIC": "Australia/Melbourne", "AU-WA": "Australia/Perth",
    # Brazil: the states outside Brasília time.
    "BR-AC": "America/Rio_Branco", "BR-AM": "America/Manaus", "BR-MS": "America/Campo_Grande",
    "BR-MT": "America/Cuiaba", "BR-RO": "America/Porto_Velho", "BR-RR": "America/Boa_Vista",
}
"""Regions of multi-zone countries whose zone is not their country's capital's."""


@lru_cache(maxsize=1024)
def zone_name(country: str | None, region: str | None = None) -> str:
    """The IANA zone a request from this place is judged in (see the module's rules)."""
    if region is not None and region in REGION_ZONES:
        return REGION_ZONES[region]
    if country is None:
        return UTC_ZONE
    if country in CAPITAL_ZONES:
        return CAPITAL_ZONES[country]
    from babel.core import get_global

    zones: list[str] = get_global("territory_zones").get(country) or []
    return zones[0] if len(zones) == 1 else UTC_ZONE


@lru_cache(maxsize=1024)
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # no time zone database on this system (the `tzdata` package supplies one)
        return dt.timezone.utc


def local_today(country: str | None, region: str | None = None, now: dt.datetime | None = None) -> tuple[dt.date, str]:
    """Today's date in the place's zone, and the zone's name; `now` (aware) stands in for the clock in tests."""
    name = zone_name(country, region)
    moment = now if now is not None else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(_zone(name)).date(), name
