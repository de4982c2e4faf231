"""Requests and decisions that travel between machines as sealed files.

A referrer's machine and the service's register may share no server: a
request goes to the service as one file sealed to the service's public key,
and the decisions come back sealed to the referrer's own key. Sealing is age
(age-encryption.org/v1, X25519 recipients) through ``pyrage``, an audited
format with a standard command-line tool, so no cryptography is written here:
a misdirected email reveals nothing (not even the child's name), and a file
cut short or altered is refused whole, since age authenticates every chunk.
"""
