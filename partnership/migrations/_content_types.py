"""Helpers of the migrations that moved models out of the partnership app (not a migration:
the loader skips modules whose name starts with "_")."""


def content_type_mover(new_label: str, models: list[str]):
    """RunPython forward and backward functions that relabel the content types of `models`
    (lower-case model names) from "partnership" to `new_label` and back.

    The rows are updated, never recreated, so their ids stay: permissions granted to groups,
    audit entries, reminders and notifications keep pointing to the same models. A row that
    already exists under the target label (post_migrate ran with the new code before this
    migration) is an empty duplicate: it and its permissions make way for the original.
    """

    def relabel(apps, old: str, new: str):
        content_type = apps.get_model("contenttypes", "ContentType")
        permission = apps.get_model("auth", "Permission")
        originals = content_type.objects.filter(app_label=old, model__in=models)
        taken = content_type.objects.filter(app_label=new, model__in=originals.values("model"))
        permission.objects.filter(content_type__in=taken).delete()
        taken.delete()
        originals.update(app_label=new)

    def forwards(apps, schema_editor):
        relabel(apps, "partnership", new_label)

    def backwards(apps, schema_editor):
        relabel(apps, new_label, "partnership")

    return forwards, backwards
