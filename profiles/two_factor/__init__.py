"""Two-factor authentication: a code from an authenticator app after the password.

Built on django-otp: a TOTP device (the app, RFC 6238, 6 digits every 30 s) and
a static device holding 10 single-use recovery codes. Staff and moderators must
use it; researchers may turn it on from their account page.

- `devices`: setting up the app, recovery codes, checking a code (throttled),
  turning it off.
- `gate`: the middleware that keeps a session that has passed the password but
  not the code ("half logged in") away from every page but the second step.
- `apps`, `admin_site`: Django's admin, whose site also requires the code.
"""
