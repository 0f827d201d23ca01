"""ApiToken, its events and IdempotencyKey move to the ``api`` app (issue 19).

The triggers that record a token's events are named after its app: they are dropped here and
``api.0001`` makes them anew under the new name. The tables stay; ``api.0001`` renames them.
Nothing is copied, nothing is lost.
"""
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('countries', '0003_api_tokens'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name='apitoken', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='apitoken', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='apitoken', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='apitokenevent', name='append_only'),
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.RemoveField(
                    model_name='apitokenevent',
                    name='pgh_obj',
                ),
                migrations.RemoveField(
                    model_name='apitokenevent',
                    name='pgh_context',
                ),
                migrations.RemoveField(
                    model_name='apitokenevent',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='idempotencykey',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='ApiToken',
                ),
                migrations.DeleteModel(
                    name='ApiTokenEvent',
                ),
                migrations.DeleteModel(
                    name='IdempotencyKey',
                ),
        ], database_operations=[]),
    ]
