"""Message.seq: each conversation's messages numbered 1, 2, 3… in commit order, and
Conversation.last_message_seq, the newest number (docs/MESSAGING.md, "Resuming").

Existing messages are numbered in id order per conversation, which is their commit order (the
sending service has always held the conversation's row lock from the insert to the commit).
Two UPDATE statements over the whole tables rather than a loop in Python: one pass each.
"""

from django.db import migrations, models

NUMBER_MESSAGES = """
UPDATE messaging_message AS message
SET seq = numbered.seq
FROM (
    SELECT id, row_number() OVER (PARTITION BY conversation_id ORDER BY id) AS seq
    FROM messaging_message
) AS numbered
WHERE message.id = numbered.id
"""

NEWEST_NUMBER_PER_CONVERSATION = """
UPDATE messaging_conversation AS conversation
SET last_message_seq = newest.seq
FROM (
    SELECT conversation_id, max(seq) AS seq FROM messaging_message GROUP BY conversation_id
) AS newest
WHERE conversation.id = newest.conversation_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_conversation_referral_foreign_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="last_message_seq",
            field=models.BigIntegerField(default=0, verbose_name="last message number"),
        ),
        migrations.AddField(
            model_name="message",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="number in the conversation"),
        ),
        migrations.RunSQL(NUMBER_MESSAGES, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(NEWEST_NUMBER_PER_CONVERSATION, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="message",
            name="seq",
            field=models.BigIntegerField(verbose_name="number in the conversation"),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                fields=("conversation", "seq"), name="message_seq_once_per_conversation"
            ),
        ),
    ]
