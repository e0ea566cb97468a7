"""Editorial workflow: withdrawn stories, a version counter, the publish permission, state
changes, corrections, preview links and who has a story open."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_quote_role'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='story',
            options={'ordering': ['-published_at', '-pk'], 'permissions': [('publish_story', 'Can publish, schedule and withdraw stories and edit any story')], 'verbose_name': 'story', 'verbose_name_plural': 'stories'},
        ),
        migrations.AddField(
            model_name='story',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='story',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=20, verbose_name='status'),
        ),
        migrations.CreateModel(
            name='PreviewLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preview_links', to='articles.story', verbose_name='story')),
            ],
            options={
                'verbose_name': 'preview link',
                'verbose_name_plural': 'preview links',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('correction', 'Correction'), ('clarification', 'Clarification'), ('update', 'Update')], default='correction', max_length=20, verbose_name='kind')),
                ('text', models.TextField(help_text='What was wrong or what is new, in a sentence or two. Readers see it as is.', verbose_name='text')),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='added by')),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='articles.story', verbose_name='story')),
            ],
            options={
                'verbose_name': 'correction or update',
                'verbose_name_plural': 'corrections and updates',
                'ordering': ['published_at', 'pk'],
                'indexes': [models.Index(fields=['-published_at'], name='correction_published_idx')],
            },
        ),
        migrations.CreateModel(
            name='EditSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seen_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='seen at')),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='edit_sessions', to='articles.story', verbose_name='story')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'open story',
                'verbose_name_plural': 'open stories',
                'constraints': [models.UniqueConstraint(fields=('story', 'user'), name='one_edit_session_per_user')],
            },
        ),
        migrations.CreateModel(
            name='StoryTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], max_length=20, verbose_name='from')),
                ('target', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], max_length=20, verbose_name='to')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='articles.story', verbose_name='story')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
            ],
            options={
                'verbose_name': 'state change',
                'verbose_name_plural': 'state changes',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['story', '-at'], name='transition_story_at_idx')],
            },
        ),
    ]
