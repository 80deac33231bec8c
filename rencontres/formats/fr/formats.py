"""French dates: « 17 octobre 2027 », « 14 h 30 »."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
