"""Every visible label the ABM (Apple Business) flow looks for, in English and German, with documented variants."""

from __future__ import annotations

from flows.labels import TABLE_LABELS, Labels

ABM_LABELS = Labels(
    "abm",
    {
        "account_field": ("Managed Apple Account", "Managed Apple ID", "Apple Account", "Apple ID",
                          "Email or Phone Number", "Email", "Verwalteter Apple Account", "Verwaltete Apple-ID",
                          "E-Mail-Adresse oder Telefonnummer"),
        "continue": ("Continue", "Next", "Fortfahren", "Weiter"),
        "password_field": ("Password", "Passwort"),
        "sign_in": ("Sign In", "Anmelden"),
        "code_prompt": ("Two-Factor Authentication", "verification code", "Zwei-Faktor-Authentifizierung",
                        "Bestätigungscode"),
        "trust": ("Trust", "Vertrauen"),
        # The account menu shows the admin's own name, which the robot does not know: add it here where the
        # portal does not mark the button as opening a menu.
        "account_menu": (),
        # What a signed-in admin sees in the sidebar, whichever page opens first.
        "app_home": ("Activity", "Devices", "Users", "Locations", "Organizational Units", "Apps and Books",
                     "Apps & Books", "Aktivität", "Geräte", "Benutzer", "Standorte", "Organisationseinheiten"),
        # Apple's current name first: where an account menu offers both, Payments is under Settings.
        "settings": ("Settings", "Preferences", "Einstellungen"),
        "payments": ("Payments and Billing", "Payments & Billing", "Payments and Invoices",
                     "Zahlungen und Abrechnung", "Zahlungen und Rechnungen"),
        "token_section": ("Server Tokens", "Content Tokens", "My Server Tokens", "Apps & Books", "Apps and Books",
                          "Server-Token", "Meine Server-Tokens", "Inhaltstoken", "Inhalts-Token", "Apps und Bücher"),
        "download": ("Download", "Herunterladen", "Laden"),
        # The answer to a question that asks whether to download (a new token is made): its Download, or these.
        "confirm_download": ("Yes", "Ja", "OK", "Continue", "Weiter", "Fortfahren"),
        **TABLE_LABELS,
    },
)
