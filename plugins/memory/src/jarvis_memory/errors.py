"""The one error the memory tools show: a sentence the user can act on."""


class RecallError(Exception):
    """Remembering or searching failed: the embedding service refused, failed or is away."""
