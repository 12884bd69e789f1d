"""The shape of the synthetic county: Kent's 4 areas, 12 districts and their services.

Place names and postcode districts (outward codes) are Kent's own, so that the demo reads
like the county; everything personal generated on top of them is synthetic. The number of
Early Help Units per district follows demand (44 in all, as in the EHPS three-year plan):
the coastal and urban districts of the east and south have more, Sevenoaks and Tunbridge
Wells fewer, and every district has at least two.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTY_CODE = "KENT"
COUNTY_NAME = "Kent"


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    code: str
    name: str
    area: str
    units: int  # Early Help Units
    youth_hub: str  # the town that names the district's youth hub
    towns: tuple[str, ...]
    outward_codes: tuple[str, ...]
    lsoas: int  # size of the district's fixed pool of (synthetic) LSOA codes


AREAS: tuple[tuple[str, str], ...] = (
    ("NORTH", "North Kent"),
    ("EAST", "East Kent"),
    ("SOUTH", "South Kent"),
    ("WEST", "West Kent"),
)

DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        "DAR", "Dartford", "NORTH", 3, "Dartford",
        ("Dartford", "Swanscombe", "Greenhithe", "Stone"),
        ("DA1", "DA2", "DA9", "DA10"), 60,
    ),
    DistrictSpec(
        "GRA", "Gravesham", "NORTH", 3, "Gravesend",
        ("Gravesend", "Northfleet", "Meopham", "Istead Rise"),
        ("DA11", "DA12", "DA13"), 62,
    ),
    DistrictSpec(
        "SEV", "Sevenoaks", "NORTH", 2, "Swanley",
        ("Sevenoaks", "Swanley", "Edenbridge", "Westerham"),
        ("TN13", "TN14", "TN15", "BR8", "TN8"), 74,
    ),
    DistrictSpec(
        "THA", "Thanet", "EAST", 6, "Margate",
        ("Margate", "Cliftonville", "Ramsgate", "Broadstairs", "Birchington", "Westgate-on-Sea"),
        ("CT7", "CT8", "CT9", "CT10", "CT11", "CT12"), 84,
    ),
    DistrictSpec(
        "CAN", "Canterbury", "EAST", 4, "Whitstable",
        ("Canterbury", "Whitstable", "Herne Bay", "Sturry"),
        ("CT1", "CT2", "CT3", "CT5", "CT6"), 95,
    ),
    DistrictSpec(
        "SWA", "Swale", "EAST", 5, "Sittingbourne",
        ("Sittingbourne", "Sheerness", "Faversham", "Minster", "Milton Regis"),
        ("ME9", "ME10", "ME11", "ME12", "ME13"), 85,
    ),
    DistrictSpec(
        "ASH", "Ashford", "SOUTH", 4, "Ashford",
        ("Ashford", "Stanhope", "Tenterden", "Kennington"),
        ("TN23", "TN24", "TN25", "TN26", "TN30"), 75,
    ),
    DistrictSpec(
        "SHE", "Shepway", "SOUTH", 4, "Folkestone",
        ("Folkestone", "Hythe", "New Romney", "Cheriton"),
        ("CT18", "CT19", "CT20", "CT21", "TN28", "TN29"), 67,
    ),
    DistrictSpec(
        "DOV", "Dover", "SOUTH", 4, "Deal",
        ("Dover", "Deal", "Aylesham", "Sandwich"),
        ("CT13", "CT14", "CT15", "CT16", "CT17"), 67,
    ),
    DistrictSpec(
        "TMA", "Tonbridge and Malling", "WEST", 3, "Tonbridge",
        ("Tonbridge", "Snodland", "West Malling", "Larkfield"),
        ("TN9", "TN10", "TN11", "ME6", "ME19", "ME20"), 75,
    ),
    DistrictSpec(
        "MAI", "Maidstone", "WEST", 4, "Maidstone",
        ("Maidstone", "Park Wood", "Senacre", "Marden"),
        ("ME14", "ME15", "ME16", "ME17", "ME18"), 98,
    ),
    DistrictSpec(
        "TWE", "Tunbridge Wells", "WEST", 2, "Tunbridge Wells",
        ("Tunbridge Wells", "Southborough", "Paddock Wood", "Cranbrook"),
        ("TN1", "TN2", "TN3", "TN4", "TN12", "TN17", "TN18"), 70,
    ),
)  # fmt: skip

TOTAL_EARLY_HELP_UNITS = 44

# Synthetic LSOA codes: E01 + 6 digits in a range no real LSOA uses (E019xxxxx).
LSOA_BASE = 900_000


def lsoa_code(district_index: int, n: int) -> str:
    return f"E01{LSOA_BASE + district_index * 1000 + n:06d}"


def children_centres_in(district: DistrictSpec) -> int:
    """A few per district, more where demand is higher."""
    return 2 if district.units <= 2 else 3 if district.units <= 4 else 4


STREET_ENDINGS = (
    "Road", "Close", "Avenue", "Street", "Way", "Gardens", "Drive", "Lane", "Crescent", "Court",
)  # fmt: skip

SCHOOL_PATTERNS = (
    "{town} Primary School",
    "{town} Community Primary School",
    "St Mary's Church of England Primary School, {town}",
    "{town} Infant School",
    "{town} Junior School",
    "{town} Academy",
    "{town} High School",
    "{town} Grammar School",
)
