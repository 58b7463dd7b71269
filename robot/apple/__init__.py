"""Apple's Apps and Books API: what Apple itself says of a token (read only), and the MDMs remembered per unit."""
