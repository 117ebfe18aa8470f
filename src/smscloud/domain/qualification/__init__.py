"""Enterprise qualification (seed 2.2): company, credit code and licence, reviewed by operators."""
