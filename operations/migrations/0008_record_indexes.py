from django.db import migrations, models

# The default order of record lists and of the records API (-occurred_on, -id): page 1 then
# reads the first rows of this index instead of sorting every visible record (docs/benchmarks.md).
RECORD_MODELS = [
    "arrestrecord",
    "searchwarrantrecord",
    "suspectrecord",
    "victimassistancerecord",
    "investigationrecord",
    "enquiryrecord",
    "awarenessactivityrecord",
    "trainingsessionrecord",
    "intelligencereport",
]


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0007_debrief_workshop"),
    ]

    operations = [
        migrations.AddIndex(
            model_name=name,
            index=models.Index(fields=["-occurred_on", "-id"], name=f"{name}_recent"),
        )
        for name in RECORD_MODELS
    ]
