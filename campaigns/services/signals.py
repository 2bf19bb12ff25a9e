"""What the money services announce after their transaction commits.

Services never import the jobs that follow up on their changes (that would point the
dependency upwards); they send a signal on commit and ``campaigns.jobs`` connects the
receiver that enqueues the work.
"""

from django.dispatch import Signal

# A refund was stored as pending and must be asked of the gateway. Arguments: refund_id.
refund_requested = Signal()

# Many refunds were stored as pending at once (a campaign that failed). Arguments:
# refund_ids, in pledge order.
refunds_requested = Signal()
