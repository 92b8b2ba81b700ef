# Accounts keep their records in layan.core (User, RoleAssignment, ApiToken); this app holds the
# login, second-factor, password and token flows.
