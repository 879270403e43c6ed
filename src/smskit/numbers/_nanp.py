"""NANP area code -> US state / Canadian province and candidate time zones.

Derived at first use from data ``phonenumbers`` ships (its English geocoder
descriptions and its per-prefix time-zone table), so it follows the installed
``phonenumbers`` release, overlay area codes included. Two small hand tables
complete it: subdivision names/abbreviations -> ISO 3166-2 codes, and the
area codes a dialer vendor lists as spanning two time zones (status S in the
reference), which we add to ``phonenumbers``' zones because for quiet hours a
missing zone is the unsafe error.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

__all__ = [
    "NANP_CORRECTION_SOURCE",
    "NANP_OVERLAY_SOURCE",
    "NANP_SPLIT_ZONE_SOURCE",
    "TERRITORY_NPA_SOURCE",
    "area_code_info",
    "country_subdivisions",
    "subdivision_zones",
]

#: ISO 3166-2 codes of US states, DC and territories (ISO 3166-2:US), keyed by
#: the names and postal abbreviations the geocoder uses.
_US_NAMES: dict[str, str] = {
    "Alabama": "AL",
    "Alaska": "AK",
    "Arizona": "AZ",
    "Arkansas": "AR",
    "California": "CA",
    "Colorado": "CO",
    "Connecticut": "CT",
    "Delaware": "DE",
    "Florida": "FL",
    "Georgia": "GA",
    "Hawaii": "HI",
    "Idaho": "ID",
    "Illinois": "IL",
    "Indiana": "IN",
    "Iowa": "IA",
    "Kansas": "KS",
    "Kentucky": "KY",
    "Louisiana": "LA",
    "Maine": "ME",
    "Maryland": "MD",
    "Massachusetts": "MA",
    "Michigan": "MI",
    "Minnesota": "MN",
    "Mississippi": "MS",
    "Missouri": "MO",
    "Montana": "MT",
    "Nebraska": "NE",
    "Nevada": "NV",
    "New Hampshire": "NH",
    "New Jersey": "NJ",
    "New Mexico": "NM",
    "New York": "NY",
    "North Carolina": "NC",
    "North Dakota": "ND",
    "Ohio": "OH",
    "Oklahoma": "OK",
    "Oregon": "OR",
    "Pennsylvania": "PA",
    "Rhode Island": "RI",
    "South Carolina": "SC",
    "South Dakota": "SD",
    "Tennessee": "TN",
    "Texas": "TX",
    "Utah": "UT",
    "Vermont": "VT",
    "Virginia": "VA",
    "Washington State": "WA",
    "West Virginia": "WV",
    "Wisconsin": "WI",
    "Wyoming": "WY",
    "Washington D.C.": "DC",
}
_CA_NAMES: dict[str, tuple[str, ...]] = {
    "Alberta": ("AB",),
    "British Columbia": ("BC",),
    "British Colombia": ("BC",),
    "Manitoba": ("MB",),
    "New Brunswick": ("NB",),
    "Newfoundland and Labrador": ("NL",),
    "Nova Scotia": ("NS",),
    "Ontario": ("ON",),
    "Prince Edward Island": ("PE",),
    "Quebec": ("QC",),
    "Saskatchewan": ("SK",),
    "Nova Scotia/Prince Edward Island": ("NS", "PE"),
    "Northwest Territories/Nunavut/Yukon": ("NT", "NU", "YT"),
}
_US_ABBR = frozenset(_US_NAMES.values())
_CA_ABBR = frozenset(a for codes in _CA_NAMES.values() for a in codes) | {"NT", "NU", "YT"}

#: NANP regions outside the 50 states that ISO 3166-2:US lists as subdivisions.
_US_TERRITORIES = {"PR": "US-PR", "VI": "US-VI", "GU": "US-GU", "AS": "US-AS", "MP": "US-MP"}
#: Their area codes (NANPA's assignments): the geocoder names towns there, not
#: the territory, so the index would otherwise know no zone for them.
TERRITORY_NPA_SOURCE = "https://www.nationalnanpa.com/ (NPAs of PR, VI, GU, AS, MP)"
_TERRITORY_NPAS: dict[str, tuple[str, ...]] = {
    "US-PR": ("787", "939"),
    "US-VI": ("340",),
    "US-GU": ("671",),
    "US-AS": ("684",),
    "US-MP": ("670",),
}

NANP_SPLIT_ZONE_SOURCE = (
    "https://docs.livevox.com/productdocumentation/admin-guides/latest/"
    "permissible-dialing-windows-and-exception-information-130318618.html"
)
#: Area codes that span two zones per the dialer vendor table (reference §2a, S).
#: Added to phonenumbers' zones (never replacing them). The vendor names zones
#: generically (CT/ET...); each is mapped to the IANA zone of the state it names.
_SPLIT_ZONES: dict[str, tuple[str, ...]] = {
    "850": ("America/Chicago", "America/New_York"),
    "219": ("America/Chicago", "America/Indiana/Indianapolis"),
    "574": ("America/Chicago", "America/Indiana/Indianapolis"),
    "812": ("America/Chicago", "America/Indiana/Indianapolis"),
    "930": ("America/Chicago", "America/Indiana/Indianapolis"),
    "620": ("America/Denver", "America/Chicago"),
    "785": ("America/Denver", "America/Chicago"),
    "270": ("America/Chicago", "America/New_York"),
    "606": ("America/Chicago", "America/New_York"),
    "679": ("America/Chicago", "America/Detroit"),
    "906": ("America/Chicago", "America/Detroit"),
    "947": ("America/Chicago", "America/Detroit"),
    "701": ("America/Denver", "America/Chicago"),
    "308": ("America/Denver", "America/Chicago"),
    "402": ("America/Denver", "America/Chicago"),
    "531": ("America/Denver", "America/Chicago"),
    "458": ("America/Los_Angeles", "America/Boise"),
    "541": ("America/Los_Angeles", "America/Boise"),
    "208": ("America/Los_Angeles", "America/Boise"),
    "605": ("America/Denver", "America/Chicago"),
    "423": ("America/Chicago", "America/New_York"),
    "432": ("America/Denver", "America/Chicago"),
    "915": ("America/Denver", "America/Chicago"),
    "236": ("America/Vancouver", "America/Edmonton"),
    "250": ("America/Vancouver", "America/Edmonton"),
    # Saskatchewan's "CT" is Regina (Central Standard all year); its "MT" part
    # (Lloydminster) keeps Alberta time.
    "306": ("America/Regina", "America/Edmonton"),
    "639": ("America/Regina", "America/Edmonton"),
    "807": ("America/Winnipeg", "America/Toronto"),
    "709": ("America/Halifax", "America/St_Johns"),
    "418": ("America/Toronto", "America/Halifax"),
    "450": ("America/Toronto", "America/Halifax"),
    "579": ("America/Toronto", "America/Halifax"),
    "581": ("America/Toronto", "America/Halifax"),
}

#: Corrections where the installed phonenumbers data misses a zone we know the
#: area code covers. Added, never replacing. 689 is the overlay of 407/321
#: (Orlando, Eastern time); phonenumbers 9.0.43 lists only America/Chicago.
NANP_CORRECTION_SOURCE = "https://www.nationalnanpa.com/ (area code 689: overlay of 407/321)"
_CORRECTED_ZONES: dict[str, tuple[str, ...]] = {
    "689": ("America/New_York",),
}

NANP_OVERLAY_SOURCE = (
    "https://en.wikipedia.org/wiki/Area_codes_850_and_448 ; "
    "https://en.wikipedia.org/wiki/Area_codes_270_and_364 ; "
    "https://en.wikipedia.org/wiki/Area_codes_778,_236,_672,_and_257 ; "
    "https://en.wikipedia.org/wiki/Area_codes_306,_639,_and_474 ; "
    "https://en.wikipedia.org/wiki/Area_codes_418,_581,_and_367 ; "
    "https://en.wikipedia.org/wiki/Area_codes_450,_579,_and_354 ; "
    "https://en.wikipedia.org/wiki/Area_codes_709_and_879"
)
#: Overlays of the split area codes above: an overlay serves the same territory as the
#: codes it overlays, so it takes their zones too (added, never replacing). The vendor
#: table names the original codes only, and phonenumbers 9.0.43 gives some overlays one
#: of the zones: 448 (Florida panhandle) and 364 (western Kentucky, mostly Central
#: time) Eastern only, so a Pensacola or Paducah mobile at 07:30 read as 08:30 and
#: passed the TCPA's 08:00 (rev30e).
_OVERLAYS: dict[str, tuple[str, ...]] = {
    "448": ("850",),
    "364": ("270",),
    "778": ("250", "236"),
    "672": ("250", "236"),
    "257": ("250", "236"),
    "474": ("306", "639"),
    "367": ("418", "581"),
    "354": ("450", "579"),
    "879": ("709",),
}


def _subdivisions_of(description: str) -> tuple[str, ...]:
    # US and Canadian names and abbreviations are disjoint, so the description
    # alone says which country; other NANP countries' places match neither.
    name = description.rsplit(", ", 1)[-1] if ", " in description else description
    if name in _US_NAMES:
        return ("US-" + _US_NAMES[name],)
    if name in _US_ABBR:
        return ("US-" + name,)
    if name in _CA_NAMES:
        return tuple("CA-" + a for a in _CA_NAMES[name])
    if name in _CA_ABBR:
        return ("CA-" + name,)
    return ()


def _nanp_geocode_data() -> Mapping[str, Mapping[str, str]]:
    """The geocoder's entries whose prefix starts with ``1`` (NANP).

    Importing ``phonenumbers.geodata`` builds the table of every country (~0.35 s
    and 30 MB) from chunk files ``data0.py``, ``data1.py``... holding the prefixes
    in ascending text order, so NANP's entries are all in the first few. Those are
    run on their own (not registered as modules) until one starts past ``1``.
    Chunks missing or out of order: the whole table is imported instead.
    """
    import phonenumbers

    directory = Path(phonenumbers.__file__).parent / "geodata"
    found: dict[str, Mapping[str, str]] = {}
    previous = ""
    for number in itertools.count():
        path = directory / f"data{number}.py"
        spec = importlib.util.spec_from_file_location(f"phonenumbers.geodata.data{number}", path)
        if not path.is_file() or spec is None or spec.loader is None:
            break
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        chunk: Mapping[str, Mapping[str, str]] = module.data
        keys = sorted(chunk)
        if not keys or keys[0] <= previous:
            break  # not the layout described
        if keys[0] >= "2":  # every NANP prefix sorts before "2"
            return found
        found.update((k, v) for k, v in chunk.items() if k.startswith("1"))
        previous = keys[-1]
    from phonenumbers.geodata import GEOCODE_DATA

    return {k: v for k, v in GEOCODE_DATA.items() if k.startswith("1")}


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    # Imported here, and the geocoder only in part, paid only when a NANP location
    # is first needed.
    from phonenumbers.tzdata import TIMEZONE_DATA

    zones: dict[str, set[str]] = defaultdict(set)
    for prefix, names in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            zones[prefix[1:4]].update(names)
    for table in (_SPLIT_ZONES, _CORRECTED_ZONES):
        for npa, extra in table.items():
            zones[npa].update(extra)
    # After the split codes are complete: an overlay takes every zone of its codes.
    for npa, codes in _OVERLAYS.items():
        for code in codes:
            zones[npa].update(zones[code])
    states: dict[str, set[str]] = defaultdict(set)
    for prefix, descriptions in _nanp_geocode_data().items():
        if not prefix.startswith("1") or len(prefix) < 4:
            continue
        states[prefix[1:4]].update(_subdivisions_of(descriptions.get("en", "")))
    for territory, npas in _TERRITORY_NPAS.items():
        for npa in npas:
            states[npa] = {territory}
    return (
        {k: frozenset(v) for k, v in zones.items()},
        {k: frozenset(v) for k, v in states.items()},
    )


@lru_cache(maxsize=1024)
def area_code_info(npa: str, region: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return ``(subdivisions, zones)`` for a NANP area code, both sorted.

    ``subdivisions`` are ISO 3166-2 codes of every state or province the area
    code's entries name (usually one); ``zones`` the union of the IANA zones of
    every prefix under the area code. Either may be empty (non-geographic codes).
    """
    zones_by_npa, states_by_npa = _index()
    subdivisions: frozenset[str] = states_by_npa.get(npa, frozenset())
    if region in _US_TERRITORIES:
        subdivisions = frozenset({_US_TERRITORIES[region]})
    return tuple(sorted(subdivisions)), tuple(sorted(zones_by_npa.get(npa, frozenset())))


@lru_cache(maxsize=128)
def subdivision_zones(code: str) -> tuple[str, ...]:
    """Every zone of every area code that belongs to the subdivision ``code``."""
    zones_by_npa, states_by_npa = _index()
    found: set[str] = set()
    for npa, subdivisions in states_by_npa.items():
        if code in subdivisions:
            found.update(zones_by_npa.get(npa, ()))
    return tuple(sorted(found))


def is_subdivision(code: str) -> bool:
    """Whether ``code`` (ISO 3166-2) is a US state, DC or territory or a Canadian province
    or territory: the subdivisions a recipient is located in. From the hand tables above,
    so no index is built (rules are checked at import)."""
    country, _, sub = code.partition("-")
    if country == "US":
        return sub in _US_ABBR or code in _US_TERRITORIES.values()
    return country == "CA" and sub in _CA_ABBR


@lru_cache(maxsize=8)
def country_subdivisions(country: str) -> tuple[str, ...]:
    """All subdivisions of ``country`` ("US" or "CA") known to the area-code index."""
    _, states_by_npa = _index()
    prefix = country + "-"
    found = {s for subs in states_by_npa.values() for s in subs if s.startswith(prefix)}
    if country == "US":
        found.update(_US_TERRITORIES.values())
    return tuple(sorted(found))


# How CRMs write states and provinces in full, beside the geocoder's names above.
_MORE_NAMES = {
    "WASHINGTON": "US-WA",
    "DISTRICT OF COLUMBIA": "US-DC",
    "WASHINGTON DC": "US-DC",
    "PUERTO RICO": "US-PR",
    "GUAM": "US-GU",
    "US VIRGIN ISLANDS": "US-VI",
    "VIRGIN ISLANDS": "US-VI",
    "AMERICAN SAMOA": "US-AS",
    "NORTHERN MARIANA ISLANDS": "US-MP",
    "NEWFOUNDLAND": "CA-NL",
    "NORTHWEST TERRITORIES": "CA-NT",
    "NUNAVUT": "CA-NU",
    "YUKON": "CA-YT",
    "QUÉBEC": "CA-QC",
}


#: Canadian provinces and territories as a French-Canadian CRM writes them: the French
#: names (Office québécois de la langue française) and Statistics Canada's official
#: abbreviations in English and French, points dropped as _name_key drops them. Plus
#: "PQ" (no official symbol, the OQLF says, but in old records) and "Nfld"/"Nfld Lab",
#: the English abbreviation until 21 October 2002 (Statistics Canada). Not "NF", the
#: alpha code until then: it is Norfolk Island's country code. Not "Nt", the French
#: abbreviation of Nunavut: upper-cased it is NT, the Northwest Territories' code.
CA_NAMES_SOURCE = (
    "https://vitrinelinguistique.oqlf.gouv.qc.ca/22041/les-abreviations-et-les-symboles/"
    "les-abreviations/listes-dabreviations/"
    "abreviation-du-nom-des-provinces-et-des-territoires-du-canada ; "
    "http://www12.statcan.gc.ca/census-recensement/2016/ref/dict/geo038-eng.cfm"
)
_CA_MORE_NAMES: dict[str, str] = {
    "Colombie-Britannique": "CA-BC",
    "Nouveau-Brunswick": "CA-NB",
    "Terre-Neuve-et-Labrador": "CA-NL",
    "Nouvelle-Écosse": "CA-NS",
    "Île-du-Prince-Édouard": "CA-PE",
    "Territoires du Nord-Ouest": "CA-NT",
    # Statistics Canada's abbreviations, English then French where they differ.
    "N.L.": "CA-NL", "T.-N.-L.": "CA-NL", "Nfld.": "CA-NL", "Nfld.Lab.": "CA-NL",
    "P.E.I.": "CA-PE", "Î.-P.-É.": "CA-PE",
    "N.-É.": "CA-NS",
    "N.-B.": "CA-NB",
    "Que.": "CA-QC", "PQ": "CA-QC",
    "Ont.": "CA-ON",
    "Man.": "CA-MB",
    "Sask.": "CA-SK",
    "Alta.": "CA-AB", "Alb.": "CA-AB",
    "C.-B.": "CA-BC",
    "Y.T.": "CA-YT", "Yn": "CA-YT",
    "N.W.T.": "CA-NT", "T.N.-O.": "CA-NT",
    "Nvt.": "CA-NU",
}  # fmt: skip


#: US states' traditional abbreviations (before the 1963 postal codes): the Associated
#: Press list (the first address below), plus "Tex." (the AP spells Texas out) and the
#: forms the GPO Style Manual is said to use where they differ (Kans., Nebr., Oreg.,
#: N. Mex., N. Dak., S. Dak.; rules 9.12-9.13 of the 2008 manual). Those seven were
#: checked against a secondary list of traditional abbreviations (the second address,
#: a Wikipedia mirror), which gives each for the state mapped here; the manual's own
#: rule was not read (rev26m searched for it and found only the chapter's opening), so
#: their GPO attribution stays unverified. Each is unambiguous. Those that are also a
#: postal code ("Pa.", "Ga.", "Md.") need no entry.
US_ABBREVIATIONS_SOURCE = (
    "https://www.scouting.org/resources/los/states/ ; "
    "https://wiki.kidzsearch.com/wiki/List_of_U.S._states_by_traditional_abbreviation ; "
    "https://www.govinfo.gov/content/pkg/GPO-STYLEMANUAL-2008/html/"
    "GPO-STYLEMANUAL-2008-11.htm (rule 9.12 unread: GPO attribution of Tex., Kans., "
    "Nebr., Oreg., N. Mex., N. Dak., S. Dak. unverified)"
)
_US_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "US-AL", "Ariz.": "US-AZ", "Ark.": "US-AR", "Calif.": "US-CA",
    "Colo.": "US-CO", "Conn.": "US-CT", "Del.": "US-DE", "Fla.": "US-FL",
    "Ill.": "US-IL", "Ind.": "US-IN", "Kan.": "US-KS", "Kans.": "US-KS",
    "Mass.": "US-MA", "Mich.": "US-MI", "Minn.": "US-MN", "Miss.": "US-MS",
    "Mont.": "US-MT", "Neb.": "US-NE", "Nebr.": "US-NE", "Nev.": "US-NV",
    "N. Mex.": "US-NM", "N. Dak.": "US-ND", "S. Dak.": "US-SD", "Okla.": "US-OK",
    "Ore.": "US-OR", "Oreg.": "US-OR", "Tenn.": "US-TN", "Tex.": "US-TX",
    "Wash.": "US-WA", "W. Va.": "US-WV", "Wis.": "US-WI", "Wyo.": "US-WY",
    # Closed up, as the AP writes W.Va. (points dropped, "W.Va." is the key "WVA").
    "W.Va.": "US-WV", "N.Mex.": "US-NM", "N.Dak.": "US-ND", "S.Dak.": "US-SD",
}  # fmt: skip


def _is_truncation(abbreviation: str) -> bool:
    """"Man.", "Fla.": one word cut short, read only with its point (bare, "Man", "Ill",
    "Wash", "Alta" are also words, names or places: a wrong state moves quiet hours)."""
    return re.fullmatch(r"[A-Z][a-z]+\.", abbreviation) is not None


def _loose_key(key: str) -> str:
    """A name key with hyphens as spaces and accents dropped: "Terre Neuve et Labrador"
    and "Ile-du-Prince-Edouard" are how the French names are often typed."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c)
    )
    return " ".join(plain.replace("-", " ").split())


def _name_key(written: str) -> str:
    """``written`` upper case with its points dropped, commas and runs of spaces as one
    space, composed (NFC): "Washington, D.C." and "WASHINGTON DC" are one key, and a
    "Québec" whose accent is a separate combining mark is "QUÉBEC"."""
    text = unicodedata.normalize("NFC", written).replace(".", "").replace(",", " ")
    return " ".join(text.split()).upper()


_ALL_NAMES = (
    {name: f"US-{code}" for name, code in _US_NAMES.items()}
    | {name: f"CA-{codes[0]}" for name, codes in _CA_NAMES.items() if len(codes) == 1}
    | _MORE_NAMES
    | _CA_MORE_NAMES
    | _US_ABBREVIATIONS
)
# Cut short but read bare too: each names one province only, in a state column as
# anywhere (no other state or province, no word or town such a column holds by mistake,
# no ISO 3166 code), and a Canadian CRM's province column often holds them bare. Not
# "Man" (a word; the Isle of Man), "Alta" (Alta, Utah; Alta, Iowa) nor "Alb" (ALB is
# Albania's ISO alpha-3 code). Refusing these lost the send for nothing (rev26m).
_READ_BARE = frozenset({"Ont.", "Que.", "Sask.", "Nfld.", "Nvt."})
# Keys (points dropped) of the abbreviations read only with their point, and that form.
_POINTED = {
    _name_key(name): name
    for name in _ALL_NAMES if _is_truncation(name) and name not in _READ_BARE
}
_EXACT_NAMES = {_name_key(name): code for name, code in _ALL_NAMES.items()}
_STATE_NAMES = {_loose_key(_name_key(name)): code for name, code in _ALL_NAMES.items()}


def _spells_another_code(loose: str, code: str) -> bool:
    """Whether initials read loosely also spell another state's code: "N.-É."
    (Nouvelle-Écosse) without its accent is "N E", which is Nebraska's NE spaced out."""
    joined = loose.replace(" ", "")
    return len(joined) == 2 and joined != code[3:] and any(
        f"{country}-{joined}" in country_subdivisions(country) for country in ("US", "CA")
    )


def pointed_form(written: str) -> str | None:
    """The abbreviation ``written`` stands for when it lacks its point ("Man" for
    "Man."), or None: what to tell a user whose cell was refused."""
    if written.strip().endswith("."):
        return None
    return _POINTED.get(_loose_key(_name_key(written)))


def state_code(written: str) -> str | None:
    """The ISO 3166-2 code of a US state or territory or a Canadian province as a CRM
    writes it ("FL", "fl", "Florida", "US-FL", "D.C."), or None. The two countries'
    two-letter codes do not overlap, so "FL" needs no country."""
    key = _name_key(written)
    for country in ("US", "CA"):
        known = country_subdivisions(country)
        if key in known:
            return key
        if f"{country}-{key}" in known:
            return f"{country}-{key}"
    if _loose_key(key) in _POINTED and not written.strip().endswith("."):
        return None  # "Man", "Alta": a word or a place as much as Manitoba or Alberta
    if key in _EXACT_NAMES:
        return _EXACT_NAMES[key]
    loose = _loose_key(key)
    code = _STATE_NAMES.get(loose)
    if code is None or _spells_another_code(loose, code):
        return None  # ambiguous: refused (the row is invalid), never guessed
    return code
