"""Where the simulated world happens: exporter cities and importer towns at their real
positions, each tagged with the force area that polices it.

Importer towns are spread over the force areas that the National County Lines
Co-ordination Centre reports as importers (coastal and market towns, the Home Counties,
Wales, the North West and the South West); exporter hubs are the big metropolitan areas.
Some towns sit close to a force border on purpose, as real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    force: str
    lat: float
    lon: float
    radius_km: float
    exporter: bool = False


EXPORTERS: tuple[Place, ...] = (
    Place("Brixton", "metropolitan", 51.4613, -0.1156, 2.5, True),
    Place("Tottenham", "metropolitan", 51.5975, -0.0681, 2.5, True),
    Place("Hackney", "metropolitan", 51.5450, -0.0553, 2.0, True),
    Place("Croydon", "metropolitan", 51.3762, -0.0982, 2.5, True),
    Place("Liverpool", "merseyside", 53.4084, -2.9916, 3.5, True),
    Place("Birmingham", "west-midlands", 52.4862, -1.8904, 4.0, True),
    Place("Manchester", "greater-manchester", 53.4808, -2.2426, 4.0, True),
    Place("Leeds", "west-yorkshire", 53.8008, -1.5491, 3.0, True),
    Place("Nottingham", "nottinghamshire", 52.9548, -1.1581, 3.0, True),
    Place("Bristol", "avon-and-somerset", 51.4545, -2.5879, 3.0, True),
)

IMPORTERS: tuple[Place, ...] = (
    Place("Exeter", "devon-and-cornwall", 50.7260, -3.5275, 3.0),
    Place("Plymouth", "devon-and-cornwall", 50.3755, -4.1427, 3.5),
    Place("Truro", "devon-and-cornwall", 50.2632, -5.0510, 2.0),
    Place("Bournemouth", "dorset", 50.7192, -1.8808, 3.0),
    Place("Swindon", "wiltshire", 51.5558, -1.7797, 3.0),
    Place("Reading", "thames-valley", 51.4543, -0.9781, 3.0),
    Place("Oxford", "thames-valley", 51.7520, -1.2577, 2.5),
    Place("Norwich", "norfolk", 52.6309, 1.2974, 3.0),
    Place("Great Yarmouth", "norfolk", 52.6083, 1.7305, 2.0),
    Place("Ipswich", "suffolk", 52.0567, 1.1482, 2.5),
    Place("Southend-on-Sea", "essex", 51.5459, 0.7077, 2.5),
    Place("Chelmsford", "essex", 51.7356, 0.4685, 2.5),
    Place("Margate", "kent", 51.3813, 1.3862, 2.0),
    Place("Hastings", "sussex", 50.8543, 0.5735, 2.0),
    Place("Brighton", "sussex", 50.8225, -0.1372, 2.5),
    Place("Southampton", "hampshire", 50.9097, -1.4044, 3.0),
    Place("Portsmouth", "hampshire", 50.8198, -1.0880, 2.5),
    Place("Lincoln", "lincolnshire", 53.2307, -0.5406, 2.5),
    Place("Boston", "lincolnshire", 52.9789, -0.0266, 2.0),
    Place("Shrewsbury", "west-mercia", 52.7073, -2.7553, 2.0),
    Place("Hereford", "west-mercia", 52.0565, -2.7160, 2.0),
    Place("Aberystwyth", "dyfed-powys", 52.4153, -4.0829, 1.5),
    Place("Carmarthen", "dyfed-powys", 51.8576, -4.3121, 1.5),
    Place("Rhyl", "north-wales", 53.3191, -3.4916, 2.0),
    Place("Bangor", "north-wales", 53.2274, -4.1293, 1.5),
    Place("Blackpool", "lancashire", 53.8175, -3.0357, 2.5),
    Place("Carlisle", "cumbria", 54.8925, -2.9329, 2.0),
    Place("Barrow-in-Furness", "cumbria", 54.1108, -3.2261, 2.0),
    Place("Scarborough", "north-yorkshire", 54.2831, -0.3998, 2.0),
    Place("Hull", "humberside", 53.7676, -0.3274, 3.0),
    Place("Stoke-on-Trent", "staffordshire", 53.0027, -2.1794, 3.0),
    Place("Gloucester", "gloucestershire", 51.8642, -2.2382, 2.5),
    Place("Weston-super-Mare", "avon-and-somerset", 51.3460, -2.9770, 2.0),
    Place("Northampton", "northamptonshire", 52.2405, -0.9027, 2.5),
    Place("Luton", "bedfordshire", 51.8787, -0.4200, 2.5),
    Place("Peterborough", "cambridgeshire", 52.5695, -0.2405, 2.5),
    Place("Guildford", "surrey", 51.2362, -0.5704, 2.0),
    Place("Swansea", "south-wales", 51.6214, -3.9436, 3.0),
    Place("Newport", "gwent", 51.5842, -2.9977, 2.5),
    Place("Darlington", "durham", 54.5235, -1.5599, 2.0),
    Place("Middlesbrough", "cleveland", 54.5742, -1.2350, 2.5),
    Place("Mansfield", "nottinghamshire", 53.1472, -1.1987, 2.0),
    Place("Chester", "cheshire", 53.1934, -2.8931, 2.0),
    Place("Leamington Spa", "warwickshire", 52.2852, -1.5362, 2.0),
)

PLACES: tuple[Place, ...] = EXPORTERS + IMPORTERS
