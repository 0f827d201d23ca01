"""The portal's one date and time format ("14 Oct 2015", "14 Oct 2015, 06:28"), every language.

``{{ value|date }}`` and ``{{ datetime }}`` in templates, ``date_format`` in code, and the
admin read these; a template that spells a format out uses the same letters.
"""
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
