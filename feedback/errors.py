class FeedbackError(Exception):
    """A refused step, with a message for the person who asked (in their language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
