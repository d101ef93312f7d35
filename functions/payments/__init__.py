"""WeChat Pay callbacks: payment and refund notifications."""
