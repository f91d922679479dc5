"""django-axes' database handler, plus a limit per client address over all accounts: the lock of an
account from one address (settings AXES_*) does not stop somebody trying one password on many accounts
(password spraying); past LOGIN_FAILURE_LIMIT_PER_CLIENT failures within the cool-off, that address is
locked too, for every account. A person elsewhere is never affected."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class ThrottlingHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        per_client = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if per_client >= settings.LOGIN_FAILURE_LIMIT_PER_CLIENT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
