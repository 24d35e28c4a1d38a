"""Owner-managed custom domains: DNS records to create, verification, periodic checks.

- `dns`: bounded dnspython lookups (no database);
- `verification`: the records an owner must create and whether they are there (no writes);
- `services`: the API the dashboard, admin and `manage.py verify_domains` call.
"""
