from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "layan.attendance"
    label = "attendance"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from layan.attendance import rules

        # The cached check-in rules (rules.unit_rules, rules.policy_on) follow every change of their rows.
        for label in rules.RULES_MODELS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(rules.rules_changed, sender=model, dispatch_uid=f"attendance-rules-{label}")
