from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "layan.attendance"
    label = "attendance"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from layan.attendance import rules

        # What a check-in reads from memory (rules.unit_rules, rules.policy_on, rules.unit_arrangements)
        # follows every change of its rows.
        memos = ((rules.rules_memo, rules.RULES_MODELS), (rules.arrangements_memo, rules.ARRANGEMENT_MODELS))
        for memo, labels in memos:
            for label in labels:
                model = apps.get_model(label)
                for signal in (post_save, post_delete):
                    signal.connect(memo.changed, sender=model, dispatch_uid=f"{memo.version_key}:{label}")
        leave = apps.get_model("attendance.LeaveRequest")
        for signal in (post_save, post_delete):
            signal.connect(rules.leave_changed, sender=leave, dispatch_uid="attendance-memo-leave")
