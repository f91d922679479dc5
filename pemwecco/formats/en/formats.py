"""English date formats, day before month as the programme's readers in Senegal and Belgium write them
("3 June 2024", short "3 Jun 2024"): never the US order, never an all-digit date that reads two ways.
Formats not set here (input formats included) are Django's."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
