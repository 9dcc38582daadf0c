class RatingError(Exception):
    """A refused rating, with a message for the person who asked (in their language)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
