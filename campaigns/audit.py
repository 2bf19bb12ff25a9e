from campaigns.models import AuditEntry


def record(
    obj,
    action,
    *,
    actor=None,
    actor_label="",
    from_state="",
    to_state="",
    amount_cents=None,
    **data,
):
    """Write one audit entry; call it inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or ("user" if getattr(actor, "pk", None) else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        amount_cents=amount_cents,
        data=data,
    )
