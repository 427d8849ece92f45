"""Who may do what: three groups, created after every migrate (records.apps)."""

STP_STAFF = "stp_staff"
SCRUTINY = "scrutiny"
ADMINS = "admins"

ROLE_LABELS = {ADMINS: "Admin", STP_STAFF: "STP staff", SCRUTINY: "Scrutiny (read only)"}

# What each group may do, as model permissions; every group may view everything.
GROUP_PERMISSIONS = {
    SCRUTINY: [],
    STP_STAFF: [
        "decisions.add_decision",
        "records.add_source",
        "roles.add_commissioningfunction",
        "roles.change_commissioningfunction",
    ],
    ADMINS: "__all__",
}
APPS = ["records", "ccgs", "decisions", "roles", "scrutiny"]


def role_of(user):
    if user.is_superuser:
        return ROLE_LABELS[ADMINS]
    names = getattr(user, "group_names", None)
    if names is None:
        names = {group.name for group in user.groups.all()}
    for group in (ADMINS, STP_STAFF, SCRUTINY):
        if group in names:
            return ROLE_LABELS[group]
    return "No role"


def can_record_decisions(user):
    return user.has_perm("decisions.add_decision")
