"""Every visible label the Cortado flow looks for, in English and German, with documented variants."""

from __future__ import annotations

from flows.labels import TABLE_LABELS, Labels

CORTADO_LABELS = Labels(
    "cortado",
    {
        "username": ("User name", "Username", "Login", "Benutzername", "Anmeldename"),
        "password": ("Password", "Passwort", "Kennwort"),
        "log_in": ("Log in", "Login", "Sign in", "Anmelden", "Einloggen"),
        # Two-factor sign-in with an authenticator app (ASP.NET Core Identity's pages say "Authenticator code").
        "code_field": ("Authenticator code", "Verification code", "Two-factor code", "Authentifizierungscode",
                       "Bestätigungscode", "Authenticator-Code", "Prüfcode"),
        "verify": ("Verify", "Bestätigen", "Überprüfen", "Log in", "Anmelden", "Continue", "Weiter"),
        "remember_machine": ("Remember this machine", "Remember this browser", "Remember this device",
                             "Diesen Computer merken", "Diesen Browser merken", "Dieses Gerät merken"),
        # The older Cortado Server console: Control Panel > Apps & Docs > VPP Accounts.
        "administration": ("Administration", "Verwaltung", "Control Panel"),
        "apps": ("Apps", "Apps & Docs", "Apps und Dokumente"),
        # Where a navigation folds the entries it has no room for: a "More", or the whole of it behind a menu button
        # (as a narrow window shows it).
        "more_menu": ("More", "Mehr", "Weitere", "Menu", "Menü", "Main menu", "Hauptmenü", "Open menu", "Menü öffnen",
                      "Navigation", "Toggle navigation", "Open navigation", "Navigation umschalten",
                      "Navigation öffnen"),
        "accounts_tab": ("App-Store accounts", "App Store accounts", "App-Store-Konten", "App Store-Konten",
                         "VPP Accounts", "VPP-Konten"),
        # an account's name, or the kind of thing each row is, as the tab names them
        "name_column": ("Name", "Account name", "Kontoname", "App Store account", "App-Store account",
                        "App-Store-Konto"),
        "location_column": ("Location", "Standort"),
        "valid_until_column": ("Valid until", "Gültig bis", "Expires", "Läuft ab"),
        "edit": ("Edit", "Bearbeiten"),
        "server_token": ("Server token", "Server-Token", "Servertoken", "sToken"),
        "ok": ("OK", "Save", "Speichern"),
        "cancel": ("Cancel", "Abbrechen"),
        # Only ever the answer that keeps per-app settings: the flow never clicks the other one, and
        # looks for it only to recognise the question.
        "no": ("No", "Nein"),
        **TABLE_LABELS,
    },
)

# An override must never turn the safe answer into the destructive one.
FORBIDDEN_ANSWERS = ("Yes", "Ja", "OK")
