#include <cstdio>
int main() { std::puts("imbal"); return 0; }
